/**
 * SIMULATED reference workload. Not a language model: a parametric stochastic policy over a handful of
 * response behaviours, trained by a genuine policy-gradient loop against a rubric grader, so the
 * platform can be exercised end to end on a CPU. Every output it writes carries `simulated: true`.
 *
 * @example
 * import { generateReferenceCorpora, writeBenchmarkItems, programPaths } from '@ballast/reference-workload';
 * await generateReferenceCorpora({ outDir: '/data/reference', seed: 0 });
 * const items = await writeBenchmarkItems('/data/benchmarks');
 * spawn(process.execPath, [programPaths.train], { env: contractEnv });
 */
export { GENERATOR_VERSION, EVALUATOR_VERSION } from './versions.js';
export { Rng, type RngState } from './rng.js';
export { BEHAVIOURS, type Behaviour } from './behaviours.js';
export { featuresOf, type RecordFeatures } from './features.js';
export { generateReferenceCorpora, REFERENCE_CORPUS_SEED, type CorporaOptions, type CorpusFile } from './corpora.js';
export { MESSAGE_COUNT_WEIGHTS } from './text/conversation.js';
export { BENCHMARKS, BENCHMARK_DESIGNS, benchmarkDesign, type BenchmarkDesign } from './benchmarks.js';
export { BenchmarkItem, writeBenchmarkItems, benchmarkItems } from './benchmark-items.js';
export { SCORING, type Metric } from './scoring.js';
export {
  INITIAL_POLICY_URI,
  initialPolicy,
  behaviourProbs,
  serializePolicy,
  parsePolicy,
  type PolicyParams,
} from './policy.js';
export { reward } from './grader.js';
export { loadPolicy, type LoadedPolicy } from './policy-source.js';
export { trainPolicy, type TrainOptions, type TrainResult } from './trainer.js';
export { countReferenceTokens } from './tokens.js';
export {
  KNOWN_TRUTH_FILE,
  KnownTruthRecord,
  initialScoreProbability,
  knownTruthEffect,
  knownTruthProbability,
  knownTruthShift,
  readKnownTruth,
  type KnownTruthRun,
  type SimulatedTruth,
} from './known-truth.js';
export { evaluatePolicy, type EvaluateOptions } from './evaluator.js';
export { runCalibration, type CalibrationOptions, type CalibrationResult, type Comparison } from './calibration.js';
export { programPaths } from './program-paths.js';
