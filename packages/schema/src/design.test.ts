import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fractionLabel } from './design.js';
import { toFieldIssues } from './issues.js';
import { ExperimentSpec, resolveExperimentSpec } from './spec.js';

const paperDesign = () => ({
  apiVersion: 'ballast.dev/v1alpha1',
  kind: 'Experiment',
  metadata: { name: 'paper' },
  spec: {
    seed: 3,
    datasets: { regular: { uri: 'reference://regular' }, traits: { uri: 'reference://traits' }, attack: { uri: 'reference://attack' } },
    trainer: { steps: 100, batchSize: 8, saveEvery: 50 },
    design: {
      baseline: { components: [{ dataset: 'regular', fraction: 1 }] },
      traits: { dataset: 'traits', fraction: 0.05 },
      fractions: [0.01, 0.02, 0.1],
      domains: [
        { name: 'health-only', in: ['healthcare'] },
        { name: 'no-health', notIn: ['healthcare'] },
        { name: 'no-science', notIn: ['science'] },
      ],
    },
    replicates: 3,
    persistence: {
      benchmarks: ['sycophancy-pushback@1'],
      steering: ['steer-format@1'],
      attacks: [{ name: 'harmful-sft', dataset: 'attack', steps: [0, 50, 100] }],
    },
  },
});

function issues(input: unknown): { path: string; message: string }[] {
  const result = ExperimentSpec.safeParse(input);
  assert.equal(result.success, false, 'expected the spec to be refused');
  return toFieldIssues(result.error!.issues);
}

describe('spec.design', () => {
  it('generates the study design: baseline, the 5% arm, the sweep and the domain hold-outs, each compared with the baseline', () => {
    const resolved = resolveExperimentSpec(ExperimentSpec.parse(paperDesign()));
    const arms = [...new Set(resolved.spec.arms.map((a) => a.arm))];
    assert.deepEqual(arms, ['baseline', 'traits-1pct', 'traits-2pct', 'traits-5pct', 'traits-10pct', 'health-only', 'no-health', 'no-science']);
    assert.equal(resolved.spec.arms.length, 8 * 3, 'three replicates of eight arms');
    assert.deepEqual(
      resolved.spec.comparisons.map((c) => `${c.treatment} vs ${c.control}`),
      arms.slice(1).map((a) => `${a} vs baseline`),
    );
    assert.deepEqual(resolved.spec.doseResponse, {
      control: 'baseline',
      arms: [0.01, 0.02, 0.05, 0.1].map((f) => ({ arm: `traits-${fractionLabel(f)}`, fraction: f })),
    });
    const noHealth = resolved.spec.arms.find((a) => a.name === 'no-health.r2')!;
    assert.equal(noHealth.seed, 4, 'replicate 2 trains on spec.seed + 1');
    assert.deepEqual(noHealth.design, { role: 'domain-holdout', traitFraction: 0.05 });
    const components = noHealth.mix.components;
    assert.deepEqual(components.map((c) => [c.dataset, c.fraction]), [['regular', 0.95], ['traits', 0.05]]);
    assert.deepEqual(components[1]!.filter, { kind: { in: ['trait'] }, domain: { notIn: ['healthcare'] } });
    const tenPct = resolved.spec.arms.find((a) => a.name === 'traits-10pct.r1')!;
    assert.equal(tenPct.mix.components.reduce((s, c) => s + (c.fraction ?? 0), 0), 1, 'fractions of a generated mix sum to exactly 1');
    assert.equal(resolved.spec.arms.find((a) => a.name === 'baseline.r1')!.mix.components.length, 1, 'the baseline has no trait component');
    assert.deepEqual(resolved.spec.persistence?.arms, arms, 'every arm is stressed by default');
  });

  it('keeps listed arms and comparisons beside the generated ones', () => {
    const spec = paperDesign();
    const withArm = {
      ...spec,
      spec: {
        ...spec.spec,
        arms: [{ name: 'honesty-only', mix: { components: [{ dataset: 'regular', fraction: 0.95 }, { dataset: 'traits', fraction: 0.05, filter: { trait: { in: ['honesty'] } } }] } }],
        comparisons: [{ treatment: 'honesty-only', control: 'traits-5pct' }],
      },
    };
    const resolved = resolveExperimentSpec(ExperimentSpec.parse(withArm));
    assert.ok(resolved.spec.arms.some((a) => a.arm === 'honesty-only' && a.design === undefined));
    assert.deepEqual(resolved.spec.comparisons[0], { treatment: 'honesty-only', control: 'traits-5pct' });
  });

  it('names fractions readably', () => {
    assert.deepEqual([0.05, 0.005, 0.125, 0.1].map(fractionLabel), ['5pct', '0-5pct', '12-5pct', '10pct']);
  });

  it('refuses a design that cannot be generated, naming the field', () => {
    const spec = paperDesign();
    const bad = {
      ...spec,
      spec: {
        ...spec.spec,
        arms: [{ name: 'no-health', mix: { components: [{ dataset: 'regular', fraction: 1 }] } }],
        design: {
          ...spec.spec.design,
          baseline: { components: [{ dataset: 'regular', fraction: 0.9 }, { dataset: 'traits', fraction: 0.05 }] },
          fractions: [0.01, 0.01],
          domains: [...spec.spec.design.domains, { name: 'no-science', in: ['law'] }],
        },
      },
    };
    const found = issues(bad);
    const at = (path: string) => found.filter((i) => i.path === path).map((i) => i.message).join(' | ');
    assert.match(at('spec.design.baseline.components'), /sum to 0\.95/);
    assert.match(at('spec.design.baseline.components'), /without excluding kind 'trait'/);
    assert.match(at('spec.design.fractions'), /twice/);
    assert.match(at('spec.design.domains.3.name'), /generates arm 'no-science'/);
    assert.match(at('spec.arms.0.name'), /also generated by spec\.design/);
  });

  it('refuses training on attack data and attacks on training data', () => {
    const spec = paperDesign();
    const bad = {
      ...spec,
      spec: {
        ...spec.spec,
        design: { ...spec.spec.design, traits: { dataset: 'attack' } },
        persistence: { ...spec.spec.persistence, attacks: [{ name: 'a', dataset: 'regular', steps: [0, 5] }, { name: 'b', dataset: 'attack', steps: [5, 0] }], arms: ['nope'] },
      },
    };
    const found = issues(bad);
    const paths = found.map((i) => i.path);
    assert.ok(paths.includes('spec.design.traits.dataset'), paths.join(', '));
    assert.ok(paths.includes('spec.persistence.attacks.0.dataset'), paths.join(', '));
    assert.ok(paths.includes('spec.persistence.attacks.1.steps'), paths.join(', '));
    assert.ok(paths.includes('spec.persistence.arms.0'), paths.join(', '));
  });

  it('refuses generated names a mix or an arm could not carry', () => {
    const spec = paperDesign();
    const bad = {
      ...spec,
      spec: {
        ...spec.spec,
        design: {
          ...spec.spec.design,
          baseline: { components: [{ dataset: 'regular', fraction: 0.5 }, { dataset: 'regular', fraction: 0.5, filter: { domain: { in: ['law'] } } }] },
          traits: { dataset: 'traits', name: 'a'.repeat(58) },
        },
      },
    };
    const paths = issues(bad).map((i) => i.path);
    assert.ok(paths.includes('spec.design.baseline.components.1.name'), paths.join(', '));
    assert.ok(paths.includes('spec.design.traits.name'), paths.join(', '));
  });

  it('needs an arm from somewhere', () => {
    const spec = paperDesign();
    const { design: _design, persistence: _persistence, ...rest } = spec.spec;
    assert.match(issues({ ...spec, spec: rest }).find((i) => i.path === 'spec.arms')?.message ?? '', /at least one arm/);
  });
});
