// Runs a package's test files with node:test, slowest first. `node --test DIR` (Node 20) runs its
// files in name order, so a package whose slowest file sorts late ends with that file running alone
// while the other lanes sit idle; the node:test run() API keeps the order it is given. Usage, from a
// package's `test` script:
//
//   node ../../scripts/test/run-files.mjs --concurrency=2 --timeout=600000 dist/
//
// The order comes from the package.json field "slowTestFiles" (paths relative to the package, slowest
// first); every other *.test.js below DIR follows in name order. The reporters are the ones NODE_OPTIONS
// names (`npm test` sets them: scripts/test.mjs), else spec on stdout. Exits 1 when a test fails.
import { createWriteStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { run } from 'node:test';
import * as builtin from 'node:test/reporters';
import { pathToFileURL } from 'node:url';

function options(argv) {
  const out = { concurrency: 1, timeout: Infinity, dir: null };
  for (const arg of argv) {
    const [name, value] = arg.split('=', 2);
    if (name === '--concurrency') out.concurrency = positive(name, value);
    else if (name === '--timeout') out.timeout = positive(name, value);
    else if (!arg.startsWith('--') && out.dir === null) out.dir = arg;
    else fail(`unknown argument ${JSON.stringify(arg)}; usage: run-files.mjs [--concurrency=N] [--timeout=MS] DIR`);
  }
  if (out.dir === null) fail('name the directory of test files: run-files.mjs [--concurrency=N] [--timeout=MS] DIR');
  return out;
}

function positive(name, value) {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) fail(`${name} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

function fail(message) {
  process.stderr.write(`run-files: ${message}\n`);
  process.exit(2);
}

function testFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') out.push(...testFiles(path));
    else if (entry.isFile() && entry.name.endsWith('.test.js')) out.push(path);
  }
  return out.sort();
}

/** The files, those package.json lists as slow first in its order, then the rest in name order. */
export function orderFiles(files, slow, base) {
  const rel = (file) => relative(base, file);
  const rank = new Map(slow.map((name, i) => [name, i]));
  return [...files].sort((a, b) => (rank.get(rel(a)) ?? slow.length) - (rank.get(rel(b)) ?? slow.length) || rel(a).localeCompare(rel(b)));
}

/** `--test-reporter=X` / `--test-reporter-destination=Y` pairs from NODE_OPTIONS, as the CLI reads them. */
export function reportersFrom(nodeOptions) {
  const tokens = (nodeOptions ?? '').split(/\s+/).filter(Boolean);
  const names = tokens.filter((t) => t.startsWith('--test-reporter=')).map((t) => t.slice('--test-reporter='.length));
  const destinations = tokens.filter((t) => t.startsWith('--test-reporter-destination=')).map((t) => t.slice('--test-reporter-destination='.length));
  if (names.length === 0) return [{ name: 'spec', destination: 'stdout' }];
  return names.map((name, i) => ({ name, destination: destinations[i] ?? 'stdout' }));
}

async function reporterOf(name) {
  if (Object.hasOwn(builtin, name)) {
    const value = builtin[name];
    // spec is a class; tap and dot are generator functions.
    return typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value)) ? new value() : value;
  }
  const url = existsSync(name) ? pathToFileURL(resolve(name)).href : name;
  return (await import(url)).default;
}

function destinationOf(destination) {
  if (destination === 'stdout') return process.stdout;
  if (destination === 'stderr') return process.stderr;
  return createWriteStream(destination);
}

async function main() {
  const opts = options(process.argv.slice(2));
  const base = process.cwd();
  const manifest = JSON.parse(readFileSync(join(base, 'package.json'), 'utf8'));
  const slow = manifest.slowTestFiles ?? [];
  const files = testFiles(resolve(base, opts.dir));
  const missing = slow.filter((name) => !files.some((file) => relative(base, file) === name));
  if (missing.length > 0) fail(`package.json slowTestFiles names files that are not there: ${missing.join(', ')}`);
  // Every reporter is ready before the run starts, so none misses the first events.
  const reporters = await Promise.all(reportersFrom(process.env.NODE_OPTIONS).map(async (r) => ({ reporter: await reporterOf(r.name), destination: r.destination })));
  const stream = run({ files: orderFiles(files, slow, base), concurrency: opts.concurrency, timeout: opts.timeout });
  stream.on('test:fail', (data) => {
    if (!data.todo) process.exitCode = 1;
  });
  for (const { reporter, destination } of reporters) stream.compose(reporter).pipe(destinationOf(destination));
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) await main();
