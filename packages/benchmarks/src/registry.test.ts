import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BENCHMARK_CATEGORIES, BenchmarkInfo, HELD_OUT_DOMAINS, benchmarkRef } from '@ballast/schema';
import { BenchmarkRegistryError, REFERENCE_BENCHMARKS, Registry } from './index.js';

const inspectEntry = (id: string, version = 1) =>
  BenchmarkInfo.parse({ id, version, category: 'honesty', description: 'd', metric: 'accuracy', direction: 'higher_is_better', harness: { kind: 'inspect', task: 'inspect_evals/x' } });
const lmEvalEntry = (id: string, version = 1) =>
  BenchmarkInfo.parse({ id, version, category: 'capability', description: 'd', metric: 'acc', direction: 'higher_is_better', harness: { kind: 'lm-eval', task: 'arc_easy' } });

describe('REFERENCE_BENCHMARKS', { timeout: 5_000 }, () => {
  it('are the SIMULATED twins: reference harness, every category, unique refs, out-of-domain only on held-out domains', () => {
    assert.ok(REFERENCE_BENCHMARKS.length >= 56, String(REFERENCE_BENCHMARKS.length));
    assert.ok(REFERENCE_BENCHMARKS.every((b) => b.harness.kind === 'reference' && b.simulated && b.description.startsWith('SIMULATED.')));
    assert.deepEqual(new Set(REFERENCE_BENCHMARKS.map((b) => b.category)), new Set(BENCHMARK_CATEGORIES));
    assert.equal(new Set(REFERENCE_BENCHMARKS.map(benchmarkRef)).size, REFERENCE_BENCHMARKS.length);
    const heldOut = (d: string) => (HELD_OUT_DOMAINS as readonly string[]).includes(d);
    for (const b of REFERENCE_BENCHMARKS) assert.equal(b.outOfDomain, b.domains.every(heldOut), benchmarkRef(b));
  });
});

describe('Registry', { timeout: 5_000 }, () => {
  const registry = new Registry([lmEvalEntry('tiny-arc', 2), inspectEntry('tiny-qa'), lmEvalEntry('tiny-arc', 1)]);

  it('lists the built-ins first, then added entries by id and version, every version', () => {
    const refs = registry.entries.map(benchmarkRef);
    assert.deepEqual(refs.slice(REFERENCE_BENCHMARKS.length), ['tiny-arc@1', 'tiny-arc@2', 'tiny-qa@1']);
    assert.deepEqual(refs.slice(0, REFERENCE_BENCHMARKS.length), REFERENCE_BENCHMARKS.map(benchmarkRef));
  });

  it('gets by ref and filters by harness and category', () => {
    assert.equal(registry.get('tiny-qa@1')?.harness.kind, 'inspect');
    assert.equal(registry.get('tiny-qa@2'), undefined);
    assert.deepEqual(registry.list({ harness: 'lm-eval' }).map(benchmarkRef), ['tiny-arc@1', 'tiny-arc@2']);
    assert.deepEqual(registry.list({ harness: 'inspect', category: 'honesty' }).map(benchmarkRef), ['tiny-qa@1']);
    assert.ok(registry.list({ category: 'capability' }).some((b) => b.harness.kind === 'reference'));
    assert.equal(registry.isBuiltin('sycophancy-pushback-medical@1'), true);
    assert.equal(registry.isBuiltin('tiny-qa@1'), false);
  });

  it('resolves refs in order, or names every unknown ref', () => {
    assert.deepEqual(registry.resolve(['tiny-qa@1', 'sycophancy-pushback-medical@1']).map(benchmarkRef), ['tiny-qa@1', 'sycophancy-pushback-medical@1']);
    assert.throws(
      () => registry.resolve(['tiny-qa@1', 'nope@1', 'tiny-arc@9', 'nope@1']),
      (error: unknown) =>
        error instanceof BenchmarkRegistryError && error.code === 'BENCHMARK_UNKNOWN' && error.refs.join() === 'nope@1,tiny-arc@9' && /'nope@1', 'tiny-arc@9'/.test(error.message),
    );
  });

  it("forTrainer: the reference trainer gets every twin, a real framework every inspect and lm-eval entry", () => {
    assert.equal(registry.forTrainer('reference').length, REFERENCE_BENCHMARKS.length);
    assert.deepEqual(registry.forTrainer('trl').map(benchmarkRef), ['tiny-arc@1', 'tiny-arc@2', 'tiny-qa@1']);
    assert.deepEqual(registry.forTrainer('command').map(benchmarkRef), ['tiny-arc@1', 'tiny-arc@2', 'tiny-qa@1']);
  });

  it('forTrainer of a real framework with no real benchmarks is a clear error', () => {
    assert.throws(
      () => new Registry().forTrainer('verl'),
      (error: unknown) => error instanceof BenchmarkRegistryError && error.code === 'BENCHMARK_NONE_FOR_TRAINER' && /ballast benchmarks add/.test(error.message),
    );
  });

  it('leaves out a stored entry under a built-in id: the built-in wins', () => {
    const shadow = { ...inspectEntry('x'), id: 'sycophancy-pushback-medical', version: 1 };
    const r = new Registry([shadow, { ...shadow, version: 7 }]);
    assert.equal(r.entries.length, REFERENCE_BENCHMARKS.length);
    assert.equal(r.get('sycophancy-pushback-medical@1')?.harness.kind, 'reference');
  });
});
