import type { ExperimentSpecInput } from '@ballast/schema';

export interface SmallSpecOptions {
  readonly name?: string;
  readonly steps?: number;
  readonly saveEvery?: number;
  readonly simulatedStepMs?: number;
  readonly benchmarks?: 'all' | string[];
  readonly arms?: NonNullable<ExperimentSpecInput['spec']['arms']>;
  readonly comparisons?: ExperimentSpecInput['spec']['comparisons'];
}

export const BASELINE_ARM = { name: 'baseline', mix: { components: [{ dataset: 'regular', fraction: 1 }] } };
export const TRAITS_ARM = {
  name: 'traits-5',
  mix: {
    components: [
      { dataset: 'regular', fraction: 0.95 },
      { dataset: 'traits', fraction: 0.05, filter: { kind: { in: ['trait' as const] } } },
    ],
  },
};

/** A spec with its arms written out (tests change them in place). */
export type SmallSpec = ExperimentSpecInput & { spec: ExperimentSpecInput['spec'] & { arms: NonNullable<ExperimentSpecInput['spec']['arms']> } };

/** A small experiment on the SIMULATED reference workload, quick enough for the test suite. */
export function smallSpec(options: SmallSpecOptions = {}): SmallSpec {
  // A deep copy: tests mutate what they get, and the arm constants are shared.
  return structuredClone({
    apiVersion: 'ballast.dev/v1alpha1',
    kind: 'Experiment',
    metadata: { name: options.name ?? 'test-experiment' },
    spec: {
      seed: 3,
      datasets: { regular: { uri: 'reference://regular' }, traits: { uri: 'reference://traits' } },
      trainer: {
        steps: options.steps ?? 120,
        batchSize: 16,
        saveEvery: options.saveEvery ?? 40,
        simulatedStepMs: options.simulatedStepMs ?? 20,
      },
      evaluation: { benchmarks: options.benchmarks ?? 'all', samplesPerItem: 4 },
      arms: options.arms ?? [BASELINE_ARM, TRAITS_ARM],
      comparisons: options.comparisons ?? [{ treatment: 'traits-5', control: 'baseline' }],
    },
  } satisfies SmallSpec);
}
