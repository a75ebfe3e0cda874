import { BENCHMARK_CATEGORIES, Report, type BenchmarkCategory, type ComparisonReport, type ReportArm } from '@ballast/schema';
import { UnknownArmError } from './errors.js';
import { benchmarkRow, notEvaluatedRow, type PairedResults } from './report/benchmark-row.js';
import { computeMatch } from './report/compute-match.js';
import { curvesFor } from './report/curves.js';
import { doseResponseReport } from './report/dose-response.js';
import { adjustFamily, countVerdicts, headlineOf, pooledEffects } from './report/family.js';
import { generalisationRow } from './report/generalisation.js';
import type { ArmInput, ReportInput, RunResults } from './report/input.js';
import { persistenceReport } from './report/persistence.js';
import { intervalCovers } from './statistics/replicates.js';

export type {
  ArmInput,
  AnalysisInput,
  BenchmarkResults,
  DoseResponseInput,
  PersistenceInput,
  ReportInput,
  ReusedFromInput,
  RunPersistenceResults,
  RunResults,
} from './report/input.js';

function methodOf(input: ReportInput): Report['method'] {
  const seeds = input.seedsPerArm >= 2;
  return {
    interval: seeds
      ? input.analysis.interval === 'hierarchical-bootstrap'
        ? `seed as the unit: hierarchical bootstrap over seeds then clusters from 10 seeds per arm, else a seed-level t interval on seeds − 1 df`
        : 'seed as the unit: t interval over the per-seed paired mean differences, seeds − 1 df'
      : 'paired mean difference over items, t interval (cluster-robust CR2 with Bell–McCaffrey df where items share a conversation)',
    confidence: 1 - input.analysis.alpha,
    covers: intervalCovers(input.seedsPerArm),
    multipleComparisons: 'headline counts Holm-adjusted within the declared family (family-wise error ≤ α); Benjamini–Hochberg and unadjusted counts beside',
    pooling: 'DerSimonian–Laird random effects of paired standardised effects (d_z), Hartung–Knapp interval',
  };
}

/**
 * The experiment report. For each comparison, every benchmark evaluated on both arms' paired runs is
 * compared item by item (seed by seed with replicates); the declared headline family is adjusted for
 * multiplicity; capability and helpfulness are read against their non-inferiority margins; the
 * generalisation matrix places each benchmark in or out of the treatment's trained domains.
 * Benchmarks only one arm has are left out: an unpaired comparison is not one this report makes.
 */
export function buildReport(input: ReportInput): Report {
  const comparisons = input.comparisons.map((cmp) => compareArms(cmp.treatment, cmp.control, input));
  const doseResponse = doseResponseReport(input);
  const persistence = persistenceReport(input);
  const report: Report = {
    schemaVersion: 2,
    experimentId: input.experimentId,
    experimentName: input.experimentName,
    specHash: input.specHash,
    simulated: input.simulated,
    ...(input.description === undefined ? {} : { description: input.description }),
    ...(input.labels === undefined ? {} : { labels: { ...input.labels } }),
    ...(input.samplesPerItem === undefined ? {} : { samplesPerItem: input.samplesPerItem }),
    ...(input.modelLabel === undefined ? {} : { modelLabel: input.modelLabel }),
    method: methodOf(input),
    preregistration: {
      declared: input.analysis.declared ?? true,
      alpha: input.analysis.alpha,
      seedsPerArm: input.seedsPerArm,
      headlineBenchmarks: [...input.analysis.headlineBenchmarks],
      headlineCategories: [...(input.analysis.headlineCategories ?? [])],
      primaryMetrics: [...input.analysis.primaryMetrics],
      nonInferiorityMargins: { ...input.analysis.nonInferiorityMargins },
      interval: input.analysis.interval,
    },
    arms: Object.entries(input.arms).map(([name, arm]) => reportArm(name, arm)),
    comparisons,
    generalisation: comparisons.map((cmp) => generalisationRow(cmp, armOf(cmp.treatment, input.arms).trainedDomains, 1 - input.analysis.alpha)),
    ...(doseResponse === undefined ? {} : { doseResponse }),
    ...(persistence === undefined ? {} : { persistence }),
  };
  // A guard, not a formality: NaN or Infinity from bad scores must fail here, not in a reader.
  return Report.parse(report);
}

function reportArm(name: string, arm: ArmInput): ReportArm {
  return {
    name,
    trainedDomains: [...arm.trainedDomains],
    replicates: sortedRuns(arm.runs).map((r) => ({
      run: r.run,
      seed: r.seed,
      checkpoint: r.checkpointHash,
      checkpointStep: r.checkpointStep,
      mixId: r.mix?.mixId ?? null,
      mixManifest: r.mix?.manifest ?? null,
      mixRecords: r.mix?.records ?? null,
      mixComponents: r.mix ? r.mix.components.map((c) => ({ name: c.name, selected: c.selected })) : [],
      steps: r.compute.steps,
      recordsSeen: r.compute.recordsSeen,
      tokensSeen: r.compute.tokensSeen,
      ...(r.reusedFrom === undefined ? {} : { reusedFrom: { experimentId: r.reusedFrom.experimentId, experimentName: r.reusedFrom.experimentName, run: r.reusedFrom.run } }),
    })),
  };
}

function compareArms(treatment: string, control: string, input: ReportInput): ComparisonReport {
  const tArm = armOf(treatment, input.arms);
  const cArm = armOf(control, input.arms);
  // Replicate K of the treatment is paired with replicate K of the control; a K only one arm has is left out.
  const t = sortedRuns(tArm.runs).filter((r) => cArm.runs.some((x) => x.replicate === r.replicate));
  const c = t.map((r) => cArm.runs.find((x) => x.replicate === r.replicate) as RunResults);
  const pairs = t.length;
  const runs = [...t, ...c];
  const refs = [...new Set(runs.flatMap((r) => Object.keys(r.results)))];
  const context = { seedsPerArm: input.seedsPerArm, analysis: input.analysis, samplesPerItem: input.samplesPerItem ?? null, trainedDomains: tArm.trainedDomains };
  const unadjusted = refs.map((ref) => {
    const lacking = runs.filter((r) => !Object.hasOwn(r.results, ref)).map((r) => r.run);
    // A benchmark some paired run did not evaluate is shown, as insufficient data, rather than compared unpaired or dropped.
    if (lacking.length > 0) return notEvaluatedRow(ref, runs.find((r) => Object.hasOwn(r.results, ref))!.results[ref]!.info, lacking, context);
    const paired: PairedResults = { treatment: t.map((r) => r.results[ref]!), control: c.map((r) => r.results[ref]!) };
    return benchmarkRow(ref, paired, context);
  });
  const benchmarks = adjustFamily(unadjusted, input.analysis.alpha).sort(
    (a, b) => categoryRank(a.category) - categoryRank(b.category) || compareStrings(a.benchmark, b.benchmark),
  );
  const covers = intervalCovers(input.seedsPerArm);
  const byCategory = BENCHMARK_CATEGORIES.filter((cat) => benchmarks.some((b) => b.category === cat)).map((category) => ({
    category,
    ...countVerdicts(benchmarks.filter((b) => b.category === category).map((b) => b.holmVerdict)),
  }));
  return {
    treatment,
    control,
    treatmentCheckpoints: t.map((r) => r.checkpointHash),
    controlCheckpoints: c.map((r) => r.checkpointHash),
    computeMatch: computeMatch(treatment, t, control, c),
    headline: headlineOf(benchmarks, input.analysis.headlineBenchmarks, input.analysis.alpha, covers, pairs),
    randomEffects: pooledEffects(
      benchmarks.filter((b) => b.inHeadlineFamily),
      1 - input.analysis.alpha,
    ),
    benchmarks,
    byCategory,
    curves: curvesFor(
      benchmarks.map((b) => b.benchmark),
      t,
      c,
      context,
    ),
  };
}

function sortedRuns(runs: readonly RunResults[]): RunResults[] {
  return [...runs].sort((a, b) => a.replicate - b.replicate);
}

function armOf(name: string, arms: ReportInput['arms']): ArmInput {
  const arm = Object.hasOwn(arms, name) ? arms[name] : undefined;
  if (arm === undefined) throw new UnknownArmError(name, Object.keys(arms));
  return arm;
}

/** Categories sort in vocabulary order (the paper's safety categories first), not alphabetically. */
function categoryRank(category: BenchmarkCategory): number {
  return BENCHMARK_CATEGORIES.indexOf(category);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
