/**
 * The job contract v0 (docs/job-contract.md), for both sides: the platform reads what a job wrote, and a
 * workload program writes it. Env variables, job spec files, atomic checkpoints with COMPLETE markers,
 * metrics, status.json and eval result files.
 *
 * @example
 * import { TrainJobSpec } from '@ballast/schema';
 * import { commitCheckpoint, readJobSpec, runContractProgram } from '@ballast/job-contract';
 * await runContractProgram(async ({ env }) => {
 *   const spec = await readJobSpec(env.jobSpecPath, TrainJobSpec);
 *   await commitCheckpoint(env.outputDir, spec.trainer.steps, async (dir) => writeWeights(dir));
 *   return { progress: { step: spec.trainer.steps } };
 * }, { simulated: false });
 */
export { ContractInputError } from './errors.js';
export { readContractEnv, type ContractEnv } from './env.js';
export { readJobSpec } from './job-spec.js';
export { writeFileAtomic } from './atomic-write.js';
export { hashDirectory, listFilesUnder } from './content-hash.js';
export {
  commitCheckpoint,
  listCommittedCheckpoints,
  latestCommittedCheckpoint,
  readMarker,
  checkpointsDir,
  type CommittedCheckpoint,
} from './checkpoints.js';
export { appendMetrics, readMetrics, readLatestMetrics } from './metrics.js';
export { writeStatusFile, readStatusFile } from './status.js';
export { writeEvalResult, readEvalSummary, readEvalItems, listEvalSummaries } from './eval-results.js';
export {
  runContractProgram,
  type ContractProgramContext,
  type ContractProgramOptions,
  type Progress,
} from './program.js';
