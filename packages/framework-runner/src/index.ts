/**
 * The job-side framework runner: a job contract program that starts a launch rendered by
 * @ballast/frameworks (TRL GRPO, verl, OpenRLHF; TRL SFT for a harmful fine-tuning attack) and speaks
 * the contract for it. It stops what an earlier attempt left running, resumes through the framework's
 * own resume from the latest committed checkpoint, commits each complete native checkpoint (as a
 * Hugging Face model directory) while training goes on, turns the framework's logged steps (TRL's and
 * OpenRLHF's stdout, verl's metrics file) into contract metrics under their own and canonical names,
 * records the environment in `OUTPUT/environment.json`, and writes the final status.
 *
 * @example
 * import { runnerProgramPath } from '@ballast/framework-runner';
 * // BALLAST_JOB_SPEC names a FrameworkTrainJobSpec written after prepareLaunch(...), or prepareTrlSftAttack(...)'s jobSpec
 * await backend.submit({ command: [process.execPath, runnerProgramPath], env: { ...contractEnv, BALLAST_ENVIRONMENT_NAME: 'default' }, cwd });
 */
export { runnerProgramPath } from './paths.js';
export { runFrameworkJob, POLL_INTERVAL_MS, STOP_GRACE_MS, type RunFrameworkOptions } from './run.js';
export { FrameworkRunnerError, RUNNER_ERROR_CODES, type RunnerErrorCode } from './errors.js';
export {
  CANONICAL_METRICS,
  TRL_METRIC_NAMES,
  addCanonicalMetrics,
  parseTrlLogLine,
  type CanonicalMetric,
  type CanonicalSources,
  type FrameworkLogLine,
} from './metrics.js';
export { VERL_FILE_LOGGER_VAR, VERL_METRIC_SOURCES, parseVerlMetricsLine, verlMetricsFilePath } from './verl-metrics.js';
export { OPENRLHF_METRIC_SOURCES, parseOpenRlhfLogLine } from './openrlhf-metrics.js';
export { parsePythonDict, type PythonScalar } from './python-literal.js';
export { ENVIRONMENT_FILE, ENVIRONMENT_NAME_VAR } from './environment.js';
export { CONVERTED_HF_DIR } from './hugging-face.js';
export { PROCESS_RECORD_FILE, ProcessRecord, readProcessRecord, stopEarlierAttempt } from './process-record.js';
