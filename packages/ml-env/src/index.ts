/**
 * The ML environments that real training frameworks and evaluation harnesses run in: which packages
 * each framework and harness needs, probing an environment for them (interpreter, distributions,
 * imports, versions), and the tiny random model that proves the plumbing, not the science. The
 * project-local default environment is built by `npm run setup:ml` from requirements/ml.lock
 * (scripts/setup-ml.mjs, also exported as `@ballast/ml-env/setup`; it needs no build).
 *
 * @example
 * const env = await probeEnvironment({ name: 'default', python: '/repo/.tools/ml-venv/bin/python', require: FRAMEWORK_REQUIREMENTS.trl });
 * // env.packages.trl === '1.16.0'; a missing package throws MlEnvironmentError ML_ENV_PACKAGE_MISSING
 * await buildTinyModel({ python: env.python, dir: '/home/me/.ballast/models/tiny-random', seed: 0 });
 */
export { MlEnvironmentError, ML_ENV_ERROR_CODES, SETUP_ML_COMMAND, isMlEnvironmentError, type MlEnvironmentErrorCode } from './errors.js';
export {
  FRAMEWORK_REQUIREMENTS,
  HARNESS_REQUIREMENTS,
  versionMatches,
  withVersion,
  type EnvironmentRequirement,
  type FrameworkName,
  type HarnessName,
} from './requirements.js';
export { probeEnvironment, clearProbeCache, PROBE_CACHE_MS, DEFAULT_PROBE_TIMEOUT_MS, type ProbeEnvironmentInput } from './probe.js';
export { buildTinyModel, TinyModelInfo, TINY_MODEL_LABEL, MODEL_INFO_FILE, DEFAULT_TINY_MODEL_TIMEOUT_MS, type BuildTinyModelInput } from './tiny-model.js';
export { PYTHON_SCRIPTS } from './python-process.js';
