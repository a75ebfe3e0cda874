/**
 * Real evaluation harnesses: inspect_ai and lm-eval. Adapters read each harness's own logs (inspect's
 * JSON log, lm-eval's results and samples files) into the job contract's per-item results; the harness
 * eval job program (`node dist/bin/evaluate.js`, {@link harnessProgramPath}) runs the harnesses
 * against a checkpoint and writes those results; {@link readBenchmarkEntryFile} reads a registry entry
 * file with paths relative to it. A job's adversarial pressure (a system message or a prompt wrapper)
 * is applied to every item by each harness's own mechanism ({@link activePressure} says up front
 * whether it can be). See docs/evaluation.md.
 *
 * @example
 * const scores = await readInspectLogDir('/job/harness/inspect/honesty-probe@1/logs', { scorer: 'includes' });
 * // scores.items: [{ itemId: 'capital-france', score: 0.5, cluster: 'geography' }, …]; a log with
 * // status 'error' throws HarnessRunError (HARNESS_RUN_FAILED) carrying inspect's own message.
 * const entry = await readBenchmarkEntryFile('examples/benchmarks/honesty-probe.benchmark.yaml');
 */
import { fileURLToPath } from 'node:url';

export {
  HarnessRunError,
  HarnessLogError,
  BenchmarkEntryFileError,
  HarnessPressureError,
  HARNESS_ERROR_CODES,
  isHarnessRunError,
  type HarnessErrorCode,
  type HarnessFailure,
  type HarnessKindName,
} from './errors.js';
export { itemsFromSamples, summarizeItems, type HarnessScores, type ScoredSample } from './scores.js';
export { readInspectLog, readInspectLogDir, type InspectLogOptions } from './inspect-log.js';
export { readLmEvalOutput, type LmEvalOutputOptions } from './lm-eval-output.js';
export { inspectCommand, inspectModelArgs, inspectPressureTaskArgs, inspectTaskRef, lmEvalCommand, LM_EVAL_LAUNCHER, type InspectTaskRef } from './commands.js';
export {
  activePressure,
  lmEvalPressureTaskYaml,
  lmEvalSystemInstruction,
  INSPECT_PRESSURE_TASK_FILE,
  INSPECT_PRESSURE_TASK,
  type ActivePressure,
} from './pressure.js';
export { harnessEnv, failureMessage, type HarnessCommand } from './process.js';
export { evaluateWithHarnesses, HARNESS_OUTPUT_DIR, type HarnessEvalOptions } from './evaluate.js';
export { readBenchmarkEntryFile, resolveEntryFilePaths } from './entry-file.js';

/** The harness eval job program, run by a backend as `node <harnessProgramPath>` with the contract's env. */
export const harnessProgramPath = fileURLToPath(new URL('./bin/evaluate.js', import.meta.url));
