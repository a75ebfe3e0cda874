import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI with its own home; a run that takes longer than `timeoutMs` is killed and fails. */
function ballast(home: string, args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 60_000): Promise<Ran> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [MAIN, ...args],
      { cwd: home, timeout: timeoutMs, env: { PATH: process.env['PATH'], BALLAST_HOME: home, BALLAST_LOG_LEVEL: 'warn', ...env } },
      (error, stdout, stderr) => {
        if (error && (error as { killed?: boolean }).killed) reject(new Error(`ballast ${args.join(' ')} did not finish within ${timeoutMs} ms:\n${stderr}`));
        else resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
      },
    );
  });
}

/** Listens on a loopback port for the test's duration: a port that is taken. */
async function occupiedPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { port: (server.address() as { port: number }).port, server };
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const { port, server } = await occupiedPort();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the ballast process: exit codes and messages', { timeout: 120_000 }, () => {
  let home: string;
  before(() => {
    home = mkdtempSync(join(tmpdir(), 'ballast-cli-'));
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  test('status exits 3 when nothing listens at the API address', async () => {
    const port = await closedPort();
    const ran = await ballast(home, ['status'], { BALLAST_API_URL: `http://127.0.0.1:${port}` });
    assert.equal(ran.code, 3, `exit code; stderr: ${ran.stderr}`);
    assert.match(ran.stderr, /cannot reach the Ballast API at http:\/\/127\.0\.0\.1:\d+; is 'ballast up' running\?/);
  });

  test('status ID exits 3 too', async () => {
    const port = await closedPort();
    const ran = await ballast(home, ['status', 'exp_0123456789'], { BALLAST_API_URL: `http://127.0.0.1:${port}` });
    assert.equal(ran.code, 3, `exit code; stderr: ${ran.stderr}`);
  });

  test('an empty spec file gets a clear message and exit 2', async () => {
    for (const [name, text] of [['empty.yaml', ''], ['comments.yaml', '# nothing here\n'], ['empty.json', '  \n']] as const) {
      const file = join(home, name);
      writeFileSync(file, text);
      const ran = await ballast(home, ['launch', file], { BALLAST_API_URL: `http://127.0.0.1:${await closedPort()}` });
      assert.equal(ran.code, 2, `${name}: exit code; stderr: ${ran.stderr}`);
      assert.match(ran.stderr, /\(file\): the file is empty; a spec is a YAML or JSON document/, name);
    }
  });

  test('a spec file name with control characters is printed escaped', async () => {
    const file = join(home, 'x\x1b]0;pwned\x07.yaml');
    writeFileSync(file, '');
    const ran = await ballast(home, ['launch', file], { BALLAST_API_URL: `http://127.0.0.1:${await closedPort()}` });
    assert.equal(ran.code, 2);
    assert.ok(ran.stderr.includes('x\\x1b]0;pwned\\x07.yaml'), ran.stderr);
    assert.doesNotMatch(ran.stderr, /\x1b|\x07/);
  });

  test('up on a taken Temporal port names temporal.embeddedPort, exits 2, and shows no stack trace', async () => {
    const taken = await occupiedPort();
    try {
      const ran = await ballast(
        home,
        ['up'],
        { BALLAST_TEMPORAL_PORT: String(taken.port), BALLAST_API_PORT: String(await closedPort()), BALLAST_POSTGRES_PORT: String(await closedPort()) },
        90_000,
      );
      assert.equal(ran.code, 2, `exit code; stderr: ${ran.stderr}`);
      assert.match(ran.stderr, new RegExp(`port ${taken.port} on 127\\.0\\.0\\.1 is taken by another process; set temporal\\.embeddedPort \\(BALLAST_TEMPORAL_PORT\\) to a free port`));
      assert.doesNotMatch(ran.stderr, /\n\s+at /, 'no stack trace');
    } finally {
      await new Promise((resolve) => taken.server.close(resolve));
    }
  });
});
