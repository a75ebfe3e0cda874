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
 * // Harmful fine-tuning of a committed checkpoint on the shipped SYNTHETIC attack corpus (an AttackJobSpec):
 * spawn(process.execPath, [programPaths.attack], { env: { ...contractEnv, BALLAST_JOB_SPEC: attackSpecPath } });
 * // where the spec's datasetPaths is [ATTACK_CORPUS_PATH].
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
export { evaluatePolicy, pressuredFeatures, type EvaluateOptions } from './evaluator.js';
export { ATTACK_TARGETS, AttackRecord, type AttackTarget } from './attack-record.js';
export { ATTACK_CORPUS_PATH, ATTACK_CORPUS_RECORDS, ATTACK_CORPUS_VERSION, attackCorpusJsonl, attackCorpusRecords } from './attack-corpus.js';
export { ATTACK_STATE_FILE, readAttackRecords, runAttack, type AttackOptions, type AttackResult } from './attack.js';
export { runCalibration, type CalibrationOptions, type CalibrationResult, type Comparison } from './calibration.js';
export {
  runPersistenceCalibration,
  PERSISTENCE_HARMFUL_DEFAULT,
  PERSISTENCE_STEERING_DEFAULT,
  type PersistenceCalibrationOptions,
  type PersistenceCalibrationResult,
  type PersistenceCell,
} from './persistence-calibration.js';
export { programPaths } from './program-paths.js';
