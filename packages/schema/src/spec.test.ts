import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { canonicalJson } from './canonical-json.js';
import { ExperimentSpec, resolveExperimentSpec } from './spec.js';
import { toFieldIssues } from './issues.js';
import { makeId, ExperimentId } from './ids.js';

const valid = () => ({
  apiVersion: 'ballast.dev/v1alpha1',
  kind: 'Experiment',
  metadata: { name: 'demo' },
  spec: {
    datasets: { regular: { uri: 'reference://regular' }, traits: { uri: 'reference://traits' } },
    trainer: { steps: 100, batchSize: 8, saveEvery: 50 },
    arms: [
      { name: 'baseline', mix: { components: [{ dataset: 'regular', fraction: 1 }] } },
      {
        name: 'traits-5',
        seed: 9,
        mix: {
          components: [
            { dataset: 'regular', fraction: 0.95 },
            { dataset: 'traits', fraction: 0.05, filter: { trait: { in: ['honesty'] }, domain: { notIn: ['healthcare'] } } },
          ],
        },
      },
    ],
    comparisons: [{ treatment: 'traits-5', control: 'baseline' }],
  },
});

function paths(input: unknown): string[] {
  const result = ExperimentSpec.safeParse(input);
  assert.equal(result.success, false);
  return toFieldIssues(result.error!.issues).map((i) => i.path);
}

describe('ExperimentSpec', () => {
  it('accepts a valid spec and fills defaults', () => {
    const parsed = ExperimentSpec.parse(valid());
    assert.equal(parsed.spec.backend.kind, 'local');
    assert.equal(parsed.spec.backend.resources.cpus, 1);
    assert.equal(parsed.spec.evaluation.benchmarks, 'all');
    assert.equal(parsed.spec.trainer.algorithm, 'grpo');
  });

  it('names the path of a misspelt key', () => {
    const spec = valid() as Record<string, unknown> & { spec: Record<string, unknown> };
    (spec.spec['trainer'] as Record<string, unknown>)['stpes'] = 3;
    assert.deepEqual(paths(spec), ['spec.trainer.stpes']);
  });

  it('names a fraction above 1, an unknown backend and an undeclared dataset', () => {
    const spec = valid();
    spec.spec.arms[1]!.mix.components[1]!.fraction = 1.5;
    (spec.spec as Record<string, unknown>)['backend'] = { kind: 'slurmx' };
    const found = paths(spec);
    assert.ok(found.includes('spec.arms.1.mix.components.1.fraction'), found.join());
    assert.ok(found.includes('spec.backend.kind'), found.join());
    // Cross-field checks run once every field is well-formed.
    const undeclared = valid();
    undeclared.spec.arms[0]!.mix.components[0]!.dataset = 'nope';
    assert.deepEqual(paths(undeclared), ['spec.arms.0.mix.components.0.dataset']);
  });

  it('allows several nodes and a time limit on Slurm only, naming the field otherwise', () => {
    for (const kind of ['local', 'ray']) {
      const spec = valid();
      (spec.spec as Record<string, unknown>)['backend'] = { kind, resources: { nodes: 2, timeLimitMinutes: 60 } };
      assert.deepEqual(paths(spec), ['spec.backend.resources.nodes', 'spec.backend.resources.timeLimitMinutes']);
    }
    const slurm = valid();
    (slurm.spec as Record<string, unknown>)['backend'] = { kind: 'slurm', resources: { nodes: 4, gpus: 8, timeLimitMinutes: 600 } };
    const parsed = ExperimentSpec.parse(slurm);
    assert.deepEqual([parsed.spec.backend.resources.nodes, parsed.spec.backend.resources.timeLimitMinutes], [4, 600]);
    assert.equal(ExperimentSpec.parse(valid()).spec.backend.resources.nodes, 1);
  });

  it('requires fractions to sum to 1 and comparisons to name arms', () => {
    const spec = valid();
    spec.spec.arms[1]!.mix.components[0]!.fraction = 0.5;
    spec.spec.comparisons = [{ treatment: 'ghost', control: 'baseline' }];
    const found = paths(spec);
    assert.ok(found.includes('spec.arms.1.mix.components'));
    assert.ok(found.includes('spec.comparisons.0.treatment'));
  });

  it('resolves derived defaults without changing the raw spec', () => {
    const raw = valid();
    const before = JSON.stringify(raw);
    const resolved = resolveExperimentSpec(ExperimentSpec.parse(raw));
    assert.equal(JSON.stringify(raw), before);
    assert.equal(resolved.spec.arms[0]!.mix.totalRecords, 800);
    assert.equal(resolved.spec.arms[0]!.seed, 0);
    assert.equal(resolved.spec.arms[1]!.mix.seed, 9);
    assert.equal(resolved.spec.arms[1]!.mix.components[1]!.name, 'traits');
    assert.deepEqual(resolved.spec.arms[0]!.mix.components[0]!.filter, {});
  });

  it('canonical JSON ignores key order', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 2 }], c: 3 } }), canonicalJson({ a: { c: 3, d: [2, { x: 2, y: 1 }] }, b: 1 }));
  });

  it('typed ids reject the wrong prefix', () => {
    assert.ok(ExperimentId.safeParse(makeId('experiment', 'abcdef123456')).success);
    assert.equal(ExperimentId.safeParse('arm_abcdef123456').success, false);
  });
});

test('replicates: runs arm.rK with seeds seed + K − 1, and arms whose seed ranges overlap are refused', { timeout: 10_000 }, () => {
  const base = {
    apiVersion: 'ballast.dev/v1alpha1',
    kind: 'Experiment',
    metadata: { name: 'reps' },
    spec: {
      seed: 7,
      datasets: { regular: { uri: 'reference://regular' } },
      replicates: 3,
      arms: [
        { name: 'a', mix: { components: [{ dataset: 'regular', fraction: 1 }] } },
        { name: 'b', mix: { components: [{ dataset: 'regular', fraction: 1 }] } },
      ],
    },
  };
  const resolved = resolveExperimentSpec(ExperimentSpec.parse(base));
  assert.deepEqual(
    resolved.spec.arms.map((a) => [a.name, a.arm, a.replicate, a.seed]),
    [['a.r1', 'a', 1, 7], ['a.r2', 'a', 2, 8], ['a.r3', 'a', 3, 9], ['b.r1', 'b', 1, 7], ['b.r2', 'b', 2, 8], ['b.r3', 'b', 3, 9]],
  );
  assert.deepEqual(resolved.spec.analysis.headlineBenchmarks, [], 'nothing evaluated was passed: an empty family');
  const overlapping = structuredClone(base) as typeof base & { spec: { arms: { seed?: number }[] } };
  overlapping.spec.arms[1]!.seed = 8;
  const result = ExperimentSpec.safeParse(overlapping);
  assert.equal(result.success, false);
  assert.match(JSON.stringify(result.error?.issues), /overlap arm 'a'/);
  overlapping.spec.arms[1]!.seed = 10;
  assert.equal(ExperimentSpec.safeParse(overlapping).success, true, 'seeds 3 apart do not overlap');
});
