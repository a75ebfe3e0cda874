import {
  BENCHMARK_CATEGORIES,
  Report,
  type BenchmarkCategory,
  type BenchmarkComparison,
  type BenchmarkInfo,
  type ComparisonReport,
  type EvalItemResult,
  type VerdictCounts,
} from '@ballast/schema';
import { BenchmarkMismatchError, UnknownArmError } from './errors.js';
import { CONFIDENCE, pairedDifference } from './paired-difference.js';
import { verdictFor } from './verdict.js';

export interface ArmResults {
  /** Content hash of the checkpoint evaluated (normally the arm's final one). */
  readonly checkpointHash: string;
  /** The training step of that checkpoint, and the arm's training seed, for the report's lineage. */
  readonly checkpointStep?: number | undefined;
  readonly seed?: number | undefined;
  readonly compute: { readonly steps: number; readonly recordsSeen: number };
  /** The arm's mix, for lineage from data to results. */
  readonly mix?: { readonly mixId: string; readonly manifest: string; readonly records: number; readonly components: readonly { name: string; selected: number }[] } | undefined;
  /** Keyed by benchmark ref `id@version`. */
  readonly results: Readonly<Record<string, { readonly info: BenchmarkInfo; readonly items: readonly EvalItemResult[] }>>;
}

export interface ReportInput {
  readonly experimentId: string;
  readonly experimentName: string;
  readonly specHash: string;
  readonly simulated: boolean;
  readonly description?: string | undefined;
  readonly labels?: Readonly<Record<string, string>> | undefined;
  readonly samplesPerItem?: number | undefined;
  /** The base model's own label (a tiny random model says so), shown as a banner. */
  readonly modelLabel?: string | undefined;
  readonly comparisons: readonly { readonly treatment: string; readonly control: string }[];
  readonly arms: Readonly<Record<string, ArmResults>>;
}

export const REPORT_METHOD = {
  interval: 'paired mean difference, t interval with cluster-robust SE where items share a conversation',
  confidence: CONFIDENCE,
  multipleComparisons: 'none (unadjusted; corrections come later)',
} as const;

/**
 * The experiment report: for each comparison, every benchmark evaluated on both arms, compared item
 * by item. Benchmarks only one arm has are left out: an unpaired comparison is not one this report makes.
 */
export function buildReport(input: ReportInput): Report {
  const report: Report = {
    schemaVersion: 1,
    experimentId: input.experimentId,
    experimentName: input.experimentName,
    specHash: input.specHash,
    simulated: input.simulated,
    ...(input.description === undefined ? {} : { description: input.description }),
    ...(input.labels === undefined ? {} : { labels: { ...input.labels } }),
    ...(input.samplesPerItem === undefined ? {} : { samplesPerItem: input.samplesPerItem }),
    ...(input.modelLabel === undefined ? {} : { modelLabel: input.modelLabel }),
    method: { ...REPORT_METHOD },
    arms: Object.entries(input.arms).map(([name, arm]) => ({
      name,
      checkpoint: arm.checkpointHash,
      mixId: arm.mix?.mixId ?? null,
      mixManifest: arm.mix?.manifest ?? null,
      mixRecords: arm.mix?.records ?? null,
      mixComponents: arm.mix ? arm.mix.components.map((c) => ({ name: c.name, selected: c.selected })) : [],
      ...(arm.seed === undefined ? {} : { seed: arm.seed }),
      ...(arm.checkpointStep === undefined ? {} : { checkpointStep: arm.checkpointStep }),
    })),
    comparisons: input.comparisons.map((cmp) => compareArms(cmp.treatment, cmp.control, input.arms)),
  };
  // A guard, not a formality: NaN or Infinity from bad scores must fail here, not in a reader.
  return Report.parse(report);
}

function compareArms(treatment: string, control: string, arms: ReportInput['arms']): ComparisonReport {
  const t = armOf(treatment, arms);
  const c = armOf(control, arms);
  const refs = Object.keys(t.results).filter((ref) => Object.hasOwn(c.results, ref));
  const benchmarks = refs
    .map((ref) => compareBenchmark(ref, t.results[ref], c.results[ref]))
    .sort((a, b) => categoryRank(a.category) - categoryRank(b.category) || compareStrings(a.benchmark, b.benchmark));

  const byCategory = BENCHMARK_CATEGORIES.filter((cat) => benchmarks.some((b) => b.category === cat)).map((category) => ({
    category,
    ...countVerdicts(benchmarks.filter((b) => b.category === category)),
  }));

  const matched = t.compute.steps === c.compute.steps && t.compute.recordsSeen === c.compute.recordsSeen;
  const describe = (arm: string, a: ArmResults): string => `${arm} ${a.compute.steps} steps / ${a.compute.recordsSeen} records`;
  const note = matched
    ? `compute-matched: both arms ran ${t.compute.steps} steps over ${t.compute.recordsSeen} records`
    : `NOT compute-matched (${describe(treatment, t)}, ${describe(control, c)}): differences may reflect compute, not data`;

  return {
    treatment,
    control,
    treatmentCheckpoint: t.checkpointHash,
    controlCheckpoint: c.checkpointHash,
    computeMatch: {
      matched,
      treatment: { arm: treatment, steps: t.compute.steps, recordsSeen: t.compute.recordsSeen },
      control: { arm: control, steps: c.compute.steps, recordsSeen: c.compute.recordsSeen },
      note,
    },
    benchmarks,
    byCategory,
    totals: countVerdicts(benchmarks),
  };
}

function armOf(name: string, arms: ReportInput['arms']): ArmResults {
  const arm = Object.hasOwn(arms, name) ? arms[name] : undefined;
  if (arm === undefined) throw new UnknownArmError(name, Object.keys(arms));
  return arm;
}

function compareBenchmark(
  ref: string,
  t: ArmResults['results'][string] | undefined,
  c: ArmResults['results'][string] | undefined,
): BenchmarkComparison {
  if (t === undefined || c === undefined) throw new BenchmarkMismatchError(ref, 'presence');
  for (const field of ['id', 'version', 'category', 'metric', 'direction'] as const) {
    if (t.info[field] !== c.info[field]) throw new BenchmarkMismatchError(ref, field);
  }
  const d = pairedDifference(t.items, c.items, t.info.direction);
  return {
    benchmark: ref,
    category: t.info.category,
    metric: t.info.metric,
    direction: t.info.direction,
    outOfDomain: t.info.outOfDomain,
    n: d.n,
    treatmentMean: d.treatmentMean,
    controlMean: d.controlMean,
    delta: d.delta,
    ciLow: d.ciLow,
    ciHigh: d.ciHigh,
    verdict: verdictFor(d.ciLow, d.ciHigh),
  };
}

function countVerdicts(benchmarks: readonly BenchmarkComparison[]): VerdictCounts {
  return {
    improved: benchmarks.filter((b) => b.verdict === 'improved').length,
    noChange: benchmarks.filter((b) => b.verdict === 'no_change').length,
    regressed: benchmarks.filter((b) => b.verdict === 'regressed').length,
    total: benchmarks.length,
  };
}

/** Categories sort in vocabulary order (the paper's safety categories first), not alphabetically. */
function categoryRank(category: BenchmarkCategory): number {
  return BENCHMARK_CATEGORIES.indexOf(category);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
