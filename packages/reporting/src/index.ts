/**
 * Evaluation statistics and the experiment report: paired per-item (or per-seed, with replicates)
 * differences with t intervals, Holm / BH adjustment of the declared headline family, random-effects
 * pooling, non-inferiority, the generalisation matrix, per-checkpoint curves, compute matching, the
 * dose–response trend across a trait-fraction sweep (`doseResponse` in the input), selective persistence
 * under pressure and harmful fine-tuning (`persistence`), reused runs' provenance (`reusedFrom` on a run),
 * and Markdown / terminal / HTML renderings (docs/statistics.md).
 *
 * @example
 * import { buildReport, renderReportMarkdown } from '@ballast/reporting';
 * const report = buildReport({
 *   experimentId, experimentName: 'traits-vs-baseline', specHash, simulated: true,
 *   comparisons: [{ treatment: 'traits-5', control: 'baseline' }],
 *   arms: { 'traits-5': traitsArmResults, baseline: baselineArmResults },
 * });
 * await writeFile('report.md', renderReportMarkdown(report));
 */
export { pairedDifference, CONFIDENCE } from './paired-difference.js';
export type { PairedDifference, Direction } from './paired-difference.js';
export { verdictFor } from './verdict.js';
export { tQuantile, tCdf, tPdf } from './student-t.js';
export { normalQuantile } from './normal.js';
export { buildReport } from './build-report.js';
export type {
  ReportInput,
  ArmInput,
  AnalysisInput,
  BenchmarkResults,
  RunResults,
  DoseResponseInput,
  PersistenceInput,
  RunPersistenceResults,
  ReusedFromInput,
} from './build-report.js';
export { doseResponseReport } from './report/dose-response.js';
export { persistenceReport, DEFAULT_STEERING_MARGIN } from './report/persistence.js';
export { linearContrast } from './statistics/linear-contrast.js';
export type { LinearContrast, LinearContrastInput, ContrastBlock, ContrastTerm } from './statistics/linear-contrast.js';
export { itemMean } from './paired-difference.js';
export type { ItemMean } from './paired-difference.js';
export { domainRelation } from './report/benchmark-row.js';
export { TOKEN_TOLERANCE } from './report/compute-match.js';
export { wilsonInterval } from './statistics/wilson.js';
export { renderReportMarkdown } from './render-markdown.js';
export { renderReportSummary } from './render-summary.js';
export {
  ReportingError,
  ReportingErrorCode,
  ItemSetMismatchError,
  DuplicateItemError,
  ClusterMismatchError,
  TooFewItemsError,
  InvalidArgumentError,
  UnknownArmError,
  BenchmarkMismatchError,
} from './errors.js';
// The statistics core (issue 9): replicates, multiplicity, insufficient data, pooling, power.
export { Rng } from './statistics/rng.js';
export { normalCdf } from './statistics/normal-cdf.js';
export { tTestPValue, Alternative } from './statistics/p-values.js';
export { holmAdjust, benjaminiHochbergAdjust, countSignificant } from './statistics/multiplicity.js';
export type { SignificanceCounts } from './statistics/multiplicity.js';
export { InsufficientReason } from './statistics/insufficient.js';
export type { InsufficientData } from './statistics/insufficient.js';
export { itemDifferences, sdOfDifferences } from './statistics/item-differences.js';
export type { ItemDifferences } from './statistics/item-differences.js';
export {
  IntervalCovers,
  HIERARCHICAL_BOOTSTRAP_MIN_SEEDS,
  intervalCovers,
  seedLevelInterval,
  hierarchicalBootstrap,
  replicateInterval,
} from './statistics/replicates.js';
export type { ReplicateInterval, ReplicateMethod, HierarchicalBootstrapOptions } from './statistics/replicates.js';
export { benchmarkEstimate } from './statistics/benchmark-estimate.js';
export type { BenchmarkEstimate, BenchmarkEstimateInput, BenchmarkVerdict, EstimateMethod, SeedPair } from './statistics/benchmark-estimate.js';
export { derSimonianLaird, pairedStandardisedEffect } from './statistics/random-effects.js';
export type { EffectWithVariance, RandomEffectsSummary, RandomEffectsInterval } from './statistics/random-effects.js';
export { nonInferiority, NonInferiorityVerdict } from './statistics/non-inferiority.js';
export type { NonInferiorityResult, EstimateForNonInferiority } from './statistics/non-inferiority.js';
export {
  minimumDetectableEffect,
  probabilityOfImproved,
  plannedStandardError,
  planMinimumDetectableEffect,
} from './statistics/power.js';
export type { EvaluationDesign, PlannedPrecision } from './statistics/power.js';
export { pairedPercentileBootstrap, percentileOfSorted } from './statistics/bootstrap.js';
export type { BootstrapInterval, BootstrapOptions } from './statistics/bootstrap.js';
export { planEvaluation, parseAssumptions, PLAN_ASSUMPTIONS } from './plan.js';
export type { PlanRow, PlanAssumptions } from './plan.js';
export { renderReportHtml } from './html/render-html.js';
