// Builds the native copy (native/record-copy.c) into dist/native/record-copy.node with the
// system C compiler and the headers of the Node that runs this script. Both are optional: without them
// this says why in one line and the mixer uses its TypeScript copy, which writes the same bytes.
// No node-gyp (it would download headers); nothing is fetched.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(packageDir, 'native', 'record-copy.c');
const target = join(packageDir, 'dist', 'native', 'record-copy.node');
const headers = resolve(dirname(process.execPath), '..', 'include', 'node');
const compiler = process.env.CC || 'cc';

function skip(why) {
  rmSync(target, { force: true });
  process.stdout.write(`mixing: native copy not built (${why}); mixes use fs.readSync and buffered writes\n`);
}

if (process.platform !== 'linux' && process.platform !== 'darwin') skip(`platform ${process.platform}`);
else if (!existsSync(join(headers, 'node_api.h'))) skip(`no Node headers at ${headers}`);
else {
  mkdirSync(dirname(target), { recursive: true });
  const args = ['-O2', '-std=c11', '-fPIC', '-shared', '-Wall', '-Wextra', '-I', headers, '-o', target, source];
  if (process.platform === 'darwin') args.unshift('-undefined', 'dynamic_lookup');
  try {
    execFileSync(compiler, args, { stdio: ['ignore', 'inherit', 'pipe'] });
    process.stdout.write(`mixing: native copy built (${target})\n`);
  } catch (error) {
    const detail = error.code === 'ENOENT' ? `no C compiler '${compiler}'` : String(error.stderr ?? error.message).trim().split('\n').slice(-3).join(' / ');
    skip(detail);
  }
}
