import { join } from 'node:path';
import { ContractInputError, writeFileAtomic } from '@ballast/job-contract';
import { FRAMEWORK_REQUIREMENTS, isMlEnvironmentError, ML_ENV_ERROR_CODES, probeEnvironment, withVersion, type EnvironmentRequirement } from '@ballast/ml-env';
import { RuntimeEnvironment, type FrameworkTrainJobSpec } from '@ballast/schema';

/** `OUTPUT/environment.json`: the RuntimeEnvironment the job ran in. */
export const ENVIRONMENT_FILE = 'environment.json';
/** The configured environment's name, set by the platform for the job. */
export const ENVIRONMENT_NAME_VAR = 'BALLAST_ENVIRONMENT_NAME';

/** The datasets library loads TRL's data; the others' needs are their own packages. */
const EXTRA_REQUIREMENTS: Readonly<Record<FrameworkTrainJobSpec['framework'], readonly EnvironmentRequirement[]>> = {
  trl: [{ dist: 'datasets', module: 'datasets' }],
  verl: [],
  openrlhf: [],
};

/**
 * Probes the spec's interpreter for the framework's packages (the framework's own at the spec's
 * version, when it names one) and writes environment.json. An interpreter that is missing, or lacks a
 * package, or holds another version is bad input; a probe that merely failed to answer is logged and
 * leaves no file (the run itself shows whether the environment works).
 */
export async function recordEnvironment(
  spec: FrameworkTrainJobSpec,
  specPath: string,
  outputDir: string,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<RuntimeEnvironment | null> {
  const name = env[ENVIRONMENT_NAME_VAR]?.trim() || 'unnamed';
  const require = [...withVersion(FRAMEWORK_REQUIREMENTS[spec.framework], spec.version), ...EXTRA_REQUIREMENTS[spec.framework]];
  let found: RuntimeEnvironment;
  try {
    found = RuntimeEnvironment.parse(await probeEnvironment({ name, python: spec.python, require }));
  } catch (err) {
    if (isMlEnvironmentError(err) && err.code !== ML_ENV_ERROR_CODES.probeFailed) {
      throw ContractInputError.badFile(specPath, [{ path: 'python', message: err.message }]);
    }
    log(`could not record the environment: ${(err as Error).message}`);
    return null;
  }
  await writeFileAtomic(join(outputDir, ENVIRONMENT_FILE), `${JSON.stringify(found)}\n`);
  const packages = Object.entries(found.packages).map(([dist, version]) => `${dist} ${version}`).join(', ');
  log(`environment '${found.name}': Python ${found.pythonVersion} (${found.python}), ${packages}`);
  return found;
}
