import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, test } from 'node:test';
import { TRPCClientError } from '@trpc/client';
import type { CliContext } from '../context.js';
import { CliExit, EXIT } from '../exit-codes.js';
import { benchmarksCommand, readBenchmarkEntryFile } from './benchmarks.js';

const dir = mkdtempSync(join(tmpdir(), 'ballast-cli-bench-'));
after(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'entries'));

function entryFile(name: string, harness: string, extra = ''): string {
  const file = join(dir, 'entries', name);
  writeFileSync(
    file,
    `id: tiny-qa
version: 1
category: capability
description: Four questions.
metric: accuracy
direction: higher_is_better
harness: ${harness}
${extra}`,
  );
  return file;
}

/** A FAKE API client: these tests check what the command sends and prints; the API has its own tests. */
function fakeContext(benchmarks: Record<string, unknown>): { ctx: CliContext; lines: string[] } {
  const lines: string[] = [];
  const ctx = { client: { benchmarks }, apiUrl: 'http://127.0.0.1:1', out: (s: string) => lines.push(s), err: (s: string) => lines.push(s) } as unknown as CliContext;
  return { ctx, lines };
}

const exitsWith = (code: number, pattern?: RegExp) => (error: unknown) =>
  error instanceof CliExit && error.exitCode === code && (pattern === undefined || pattern.test(error.message));

const twin = {
  id: 'sycophancy-pushback-medical',
  version: 1,
  category: 'sycophancy',
  description: 'SIMULATED. Caves.',
  traits: ['honesty'],
  domains: ['healthcare'],
  metric: 'sycophancy_rate',
  direction: 'lower_is_better',
  itemCount: 150,
  harness: { kind: 'reference' },
  outOfDomain: false,
  simulated: true,
};

describe('ballast benchmarks', { timeout: 10_000 }, () => {
  test('add resolves a relative task file and include path against the entry file into file:/// URIs', async () => {
    const inspect = readBenchmarkEntryFile(entryFile('a.yaml', '{ kind: inspect, task: ../tasks/qa.py#qa }')) as { harness: { task: string } };
    assert.equal(inspect.harness.task, `${pathToFileURL(join(dir, 'tasks', 'qa.py')).href}#qa`);
    const named = readBenchmarkEntryFile(entryFile('b.yaml', '{ kind: inspect, task: inspect_evals/gsm8k }')) as { harness: { task: string } };
    assert.equal(named.harness.task, 'inspect_evals/gsm8k', 'a registered task name is not a path');
    const lm = readBenchmarkEntryFile(entryFile('c.yaml', '{ kind: lm-eval, task: tiny_arc, includePath: lm-tasks }')) as { harness: { includePath: string } };
    assert.equal(lm.harness.includePath, pathToFileURL(join(dir, 'entries', 'lm-tasks')).href);

    let sent: unknown;
    const { ctx, lines } = fakeContext({ add: { mutate: (input: unknown) => ((sent = input), Promise.resolve({ ref: 'tiny-qa@1', created: true, entryHash: 'sha256:ab' })) } });
    await benchmarksCommand(ctx, ['add', join(dir, 'entries', 'a.yaml')], { json: false, user: 'ana' });
    assert.deepEqual(sent, { entry: inspect, addedBy: 'ana' });
    assert.deepEqual(lines, ['added tiny-qa@1 (sha256:ab)']);
  });

  test('add exits 2 naming every invalid field, before calling the API', async () => {
    const file = entryFile('bad.yaml', '{ kind: reference }', 'simulated: true\ncolour: blue\n');
    const { ctx } = fakeContext({ add: { mutate: () => assert.fail('the API was called') } });
    await assert.rejects(benchmarksCommand(ctx, ['add', file], { json: false }), (error: unknown) => exitsWith(EXIT.invalid, /^harness\.kind: 'reference' runs only/m)(error) && /^colour: unknown key/m.test((error as Error).message));
    await assert.rejects(benchmarksCommand(ctx, ['add', join(dir, 'missing.yaml')], { json: false }), exitsWith(EXIT.invalid, /missing\.yaml/));
    writeFileSync(join(dir, 'list.yaml'), '- 1\n');
    await assert.rejects(benchmarksCommand(ctx, ['add', join(dir, 'list.yaml')], { json: false }), exitsWith(EXIT.invalid, /mapping/));
  });

  test("add exits 2 with the API's field issues, paths as in the file", async () => {
    const refused = TRPCClientError.from({
      error: { message: 'refused', code: -32600, data: { code: 'BAD_REQUEST', httpStatus: 400, issues: [{ path: 'entry.harness.task', message: 'outside the allowed roots \x1b[2J' }] } },
    } as never);
    const { ctx } = fakeContext({ add: { mutate: () => Promise.reject(refused) } });
    await assert.rejects(
      benchmarksCommand(ctx, ['add', entryFile('d.yaml', '{ kind: inspect, task: /elsewhere/qa.py }')], { json: false }),
      (error: unknown) => exitsWith(EXIT.invalid, /^harness\.task: outside the allowed roots \\x1b\[2J$/m)(error) && !/\x1b/.test((error as Error).message),
    );
  });

  test('list escapes what came from data, --json stays JSON and terminal-safe, --harness is checked', async () => {
    const hostile = { ...twin, id: 'x', metric: 'm', description: 'evil \u009b31m \u202e', harness: { kind: 'inspect', task: 'a\x1b[2J' }, simulated: false, itemCount: null };
    let asked: unknown;
    const { ctx, lines } = fakeContext({ list: { query: (input: unknown) => ((asked = input), Promise.resolve([twin, hostile])) } });
    await benchmarksCommand(ctx, [], { json: false });
    assert.equal(asked, undefined);
    assert.match(lines[0]!, /^sycophancy-pushback-medical@1\s+reference\s+sycophancy\s+sycophancy_rate\s+lower\s+n=150\s+SIMULATED$/);
    assert.match(lines[1]!, /^x@1\s+inspect .* n=\?$/);
    lines.length = 0;
    await benchmarksCommand(ctx, ['list'], { json: true, harness: 'inspect' });
    assert.deepEqual(asked, { harness: 'inspect' });
    const text = lines.join('\n');
    assert.doesNotMatch(text, /[\u001b\u009b\u202e]/);
    assert.equal((JSON.parse(text) as { description: string }[])[1]!.description, hostile.description, 'the same JSON, escaped');
    await assert.rejects(benchmarksCommand(ctx, ['list'], { json: false, harness: 'vllm' }), exitsWith(EXIT.invalid, /--harness/));
    await assert.rejects(benchmarksCommand(ctx, ['frobnicate'], { json: false }), exitsWith(EXIT.invalid, /usage/));
  });

  test('show prints one benchmark with its harness and origin', async () => {
    const record = { ref: 'tiny-arc@2', entry: { ...twin, id: 'tiny-arc', version: 2, description: 'Arc.', simulated: false, itemCount: null, harness: { kind: 'lm-eval', task: 'tiny_arc', includePath: 'file:///m/lm', metricKey: 'acc', filter: 'none' } }, entryHash: 'sha256:cd', builtin: false, createdAt: '2026-12-04T00:00:00.000Z', createdBy: 'ana' };
    const { ctx, lines } = fakeContext({ get: { query: () => Promise.resolve(record) } });
    await benchmarksCommand(ctx, ['show', 'tiny-arc@2'], { json: false });
    const text = lines.join('\n');
    assert.match(text, /harness: lm-eval {2}task tiny_arc {2}metric acc,none/);
    assert.match(text, /task directory: file:\/\/\/m\/lm/);
    assert.match(text, /items: unknown until it runs/);
    assert.match(text, /added by ana at 2026-12-04/);
  });
});
