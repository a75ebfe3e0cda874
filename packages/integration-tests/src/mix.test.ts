import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { TRPCClientError } from '@trpc/client';
import { stringify as toYaml } from 'yaml';
import { repositoryRoot } from '@ballast/config';
import { startTestStack, type TestStack } from './index.js';

const run = promisify(execFile);
const CLI = join(repositoryRoot(), 'apps', 'cli', 'dist', 'main.js');

function mixDoc(datasets: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'ballast.dev/v1alpha1',
    kind: 'Mix',
    metadata: { name: 'it-mix' },
    spec: {
      seed: 3,
      datasets,
      mix: {
        totalRecords: 2000,
        components: [
          { dataset: 'regular', fraction: 0.95 },
          { name: 'traits', dataset: 'traits', fraction: 0.05, filter: { kind: { in: ['trait'] }, domain: { notIn: ['healthcare'] } } },
        ],
        output: { formats: ['jsonl', 'verl', 'openrlhf', 'trl'] },
        ...extra,
      },
    },
  };
}

const REFERENCE = { regular: { uri: 'reference://regular' }, traits: { uri: 'reference://traits' } };

describe('mixes through the API and the CLI', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack('mix');
  });
  after(async () => {
    await stack?.stop();
  });

  it('previews a mix without writing it', async () => {
    const preview = await stack.api.mixes.preview.mutate({ spec: mixDoc(REFERENCE) });
    assert.match(preview.mixId, /^mix_[0-9a-f]{24}$/);
    assert.deepEqual(preview.components.map((c) => c.requested), [1900, 100]);
    assert.equal(preview.error, null);
    assert.ok(preview.estimatedBytes > 0);
    assert.equal(preview.coverage.byTraitDomain['none'] !== undefined, true);
    await assert.rejects(stack.api.mixes.show.query({ mixId: preview.mixId }), /no mix/);
  });

  it('builds with the CLI (progress, then a cache hit), and shows the manifest', async () => {
    const dir = join(stack.home, 'specs');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'mix.yaml');
    writeFileSync(file, toYaml(mixDoc(REFERENCE)));
    const first = await run(process.execPath, [CLI, 'mix', 'build', file, '--api', stack.server.apiUrl!]);
    const mixId = /built: (mix_[0-9a-f]{24})/.exec(first.stdout)?.[1];
    assert.ok(mixId, first.stdout);
    const second = await run(process.execPath, [CLI, 'mix', 'build', file, '--api', stack.server.apiUrl!]);
    assert.match(second.stdout, /cache hit|already built/);
    const shown = await run(process.execPath, [CLI, 'mix', 'show', mixId, '--json', '--api', stack.server.apiUrl!]);
    const manifest = JSON.parse(shown.stdout) as { records: number; outputs: { format: string }[]; components: { selected: number }[] };
    assert.equal(manifest.records, 2000);
    assert.deepEqual(manifest.outputs.map((o) => o.format), ['jsonl', 'verl', 'openrlhf', 'trl']);
    assert.deepEqual(manifest.components.map((c) => c.selected), [1900, 100]);
  });

  it('quarantines a few malformed lines, and rejects a source with too many', async () => {
    const dir = join(stack.home, 'datasets', 'it-mix'); // under $BALLAST_HOME/datasets, the default allowed root
    mkdirSync(dir, { recursive: true });
    const good = (i: number, kind: string, trait: string | null) =>
      JSON.stringify({ id: `${kind}-${i}`, messages: [{ role: 'user', content: `q ${kind} ${i}` }, { role: 'assistant', content: `a ${i}` }], tags: { kind, trait, domain: 'law', pressure: 0.1, template: 't' } });
    const lines = Array.from({ length: 3000 }, (_, i) => good(i, 'regular', null));
    lines.splice(100, 0, '{"id": broken');
    writeFileSync(join(dir, 'regular.jsonl'), `${lines.join('\n')}\n`);
    writeFileSync(join(dir, 'traits.jsonl'), `${Array.from({ length: 300 }, (_, i) => good(i, 'trait', 'honesty')).join('\n')}\n`);
    const datasets = { regular: { uri: `file://${dir}/regular.jsonl` }, traits: { uri: `file://${dir}/traits.jsonl` } };
    const status = await stack.api.mixes.build.mutate({ spec: mixDoc(datasets) });
    let done = status;
    while (done.state === 'RUNNING') {
      await new Promise((resolve) => setTimeout(resolve, 200));
      done = await stack.api.mixes.status.query({ buildId: status.buildId });
    }
    assert.equal(done.state, 'SUCCEEDED', done.error ?? '');
    const { manifest } = await stack.api.mixes.show.query({ mixId: done.mixId! });
    const source = (manifest as { sources: { dataset: string; malformed: number; quarantine: string | null }[] }).sources.find((s) => s.dataset === 'regular')!;
    assert.equal(source.malformed, 1);
    assert.ok(source.quarantine);

    writeFileSync(join(dir, 'bad.jsonl'), `${Array.from({ length: 50 }, (_, i) => (i % 5 === 0 ? 'not json' : good(i, 'regular', null))).join('\n')}\n`);
    const bad = await stack.api.mixes.build.mutate({ spec: mixDoc({ ...datasets, regular: { uri: `file://${dir}/bad.jsonl` } }, { totalRecords: 20 }) });
    let failed = bad;
    while (failed.state === 'RUNNING') {
      await new Promise((resolve) => setTimeout(resolve, 200));
      failed = await stack.api.mixes.status.query({ buildId: bad.buildId });
    }
    assert.equal(failed.state, 'FAILED');
    assert.match(failed.error ?? '', /malformed/i);
    assert.match(failed.error ?? '', /line 1\b/);
    assert.equal(failed.errorKind, 'input', 'a malformed source is an input error (ballast mix build exits 2)');
  });

  it('rejects an invalid mix spec with field paths', async () => {
    const doc = mixDoc({ ...REFERENCE, traits: { uri: 'file:///nonexistent.jsonl' } }) as { spec: { mix: { components: { fraction?: number; count?: number }[] } } };
    doc.spec.mix.components[0]!.count = 5;
    const error = await stack.api.mixes.preview.mutate({ spec: doc }).catch((e: unknown) => e);
    assert.ok(error instanceof TRPCClientError);
    const paths = ((error.data as { issues: { path: string }[] }).issues ?? []).map((i) => i.path);
    assert.ok(paths.includes('spec.spec.mix.components.0'), paths.join(', '));
    assert.ok(paths.includes('spec.spec.datasets.traits.uri'), paths.join(', '));
  });
});
