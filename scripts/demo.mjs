// `npm run demo`: builds (cached after the first time) and runs `ballast demo` on the embedded stack.
import { run, turbo } from './run.mjs';

const build = await run(turbo, ['run', 'build', '--output-logs=errors-only']);
if (build.code !== 0) process.exit(build.code);
const demo = await run(process.execPath, ['apps/cli/dist/main.js', 'demo', ...process.argv.slice(2)]);
process.exit(demo.code);
