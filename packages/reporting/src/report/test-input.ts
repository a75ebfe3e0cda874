import type { BenchmarkCategory, BenchmarkInfo, EvalItemResult } from '@ballast/schema';
import type { AnalysisInput, ArmInput, BenchmarkResults, ReportInput, RunResults } from './input.js';

/** Test fixtures for the report builder (not shipped behaviour): small synthetic benchmarks with known shifts. */
export function info(id: string, category: BenchmarkCategory, options: { direction?: BenchmarkInfo['direction']; domains?: string[] } = {}): BenchmarkInfo {
  const direction = options.direction ?? 'higher_is_better';
  return {
    id,
    version: 1,
    category,
    description: `${id} (synthetic)`,
    traits: ['honesty'],
    domains: options.domains ?? ['law'],
    metric: direction === 'higher_is_better' ? 'accuracy' : 'error_rate',
    direction,
    itemCount: 8,
    harness: { kind: 'reference' },
    outOfDomain: false,
    simulated: true,
  };
}

export const BASE = [0.2, 0.4, 0.5, 0.3, 0.6, 0.1, 0.7, 0.4];
export const UP = [0.1, 0.12, 0.09, 0.11, 0.1, 0.08, 0.12, 0.1];
export const NOISE = [0.05, -0.06, 0.04, -0.03, 0.02, -0.05, 0.06, -0.04];

export const items = (shift: readonly number[], offset = 0): EvalItemResult[] => BASE.map((b, i) => ({ itemId: `q${i}`, score: b + offset + (shift[i] ?? 0) }));

export function run(name: string, replicate: number, results: Record<string, BenchmarkResults>, compute: Partial<RunResults['compute']> = {}): RunResults {
  return {
    run: name,
    replicate,
    seed: 10 + replicate,
    checkpointHash: `sha256:${name}`,
    checkpointStep: 100,
    compute: { steps: 100, recordsSeen: 1600, tokensSeen: 64_000, ...compute },
    results,
    byStep: new Map([
      [50, results],
      [100, results],
    ]),
  };
}

export const ANALYSIS: AnalysisInput = {
  alpha: 0.05,
  headlineBenchmarks: ['decept@1', 'lies@1', 'syc-a@1', 'syc-b@1'],
  headlineCategories: ['deception', 'honesty', 'sycophancy'],
  primaryMetrics: [],
  nonInferiorityMargins: { capability: 0.02 },
  interval: 'seed-t',
};

/**
 * Treatment vs control on five benchmarks: two sycophancy (one improved, one unchanged), one deception
 * improved, one lower-is-better honesty benchmark whose error rate rose (a regression), one capability
 * unchanged (read for non-inferiority, in no trained domain); plus one benchmark only the treatment ran
 * (shown as insufficient data).
 * `seeds` runs per arm, each seed shifting both arms' scores by its own offset.
 */
export function reportInput(options: { seeds?: number; treatmentCompute?: Partial<RunResults['compute']> } = {}): ReportInput {
  const seeds = options.seeds ?? 1;
  const offsets = [0, 0.02, -0.01, 0.015, -0.02];
  const controlRuns = Array.from({ length: seeds }, (_, k) => {
    const o = offsets[k] ?? 0;
    return run(seeds === 1 ? 'baseline' : `baseline.r${k + 1}`, k + 1, {
      'syc-a@1': { info: info('syc-a', 'sycophancy'), items: items([], o) },
      'syc-b@1': { info: info('syc-b', 'sycophancy'), items: items([], o) },
      'decept@1': { info: info('decept', 'deception'), items: items([], o) },
      'lies@1': { info: info('lies', 'honesty', { direction: 'lower_is_better' }), items: items([], o) },
      'math@1': { info: info('math', 'capability', { domains: ['engineering'] }), items: items([], o) },
    });
  });
  const treatmentRuns = Array.from({ length: seeds }, (_, k) => {
    const o = (offsets[k] ?? 0) + (k % 2 === 0 ? 0.004 : -0.004);
    return run(
      seeds === 1 ? 'traits-5' : `traits-5.r${k + 1}`,
      k + 1,
      {
        'syc-b@1': { info: info('syc-b', 'sycophancy'), items: items(NOISE, o) },
        'syc-a@1': { info: info('syc-a', 'sycophancy'), items: items(UP, o) },
        'decept@1': { info: info('decept', 'deception'), items: items(UP, o) },
        'lies@1': { info: info('lies', 'honesty', { direction: 'lower_is_better' }), items: items(UP, o) },
        'math@1': { info: info('math', 'capability', { domains: ['engineering'] }), items: items(NOISE, o) },
        'fairness@1': { info: info('fairness', 'fairness'), items: items(UP, o) },
      },
      options.treatmentCompute,
    );
  });
  const arms: Record<string, ArmInput> = {
    'traits-5': { runs: treatmentRuns, trainedDomains: ['law'] },
    baseline: { runs: controlRuns, trainedDomains: [] },
  };
  return {
    experimentId: 'exp_123',
    experimentName: 'traits-vs-baseline',
    specHash: 'sha256:abc',
    simulated: true,
    samplesPerItem: 4,
    seedsPerArm: seeds,
    analysis: ANALYSIS,
    comparisons: [{ treatment: 'traits-5', control: 'baseline' }],
    arms,
  };
}
