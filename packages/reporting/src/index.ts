/**
 * Evaluation statistics and the experiment report: paired per-item differences with 95% t intervals
 * (cluster-robust where items share a conversation), unadjusted verdicts, compute matching, and
 * Markdown / terminal renderings.
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
export { buildReport, REPORT_METHOD } from './build-report.js';
export type { ReportInput, ArmResults } from './build-report.js';
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
