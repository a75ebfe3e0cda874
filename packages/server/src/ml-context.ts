import type { MlDeps } from '@ballast/activities';
import type { EnvironmentProblem, RealModelLaunchContext } from '@ballast/api';
import { ML_ROOTS_SETTING, mlRoots, pythonFor, type BallastConfig } from '@ballast/config';
import { FRAMEWORK_REQUIREMENTS, HARNESS_REQUIREMENTS, MlEnvironmentError, probeEnvironment } from '@ballast/ml-env';

type BackendName = Parameters<typeof pythonFor>[2];

function pythonOf(config: BallastConfig): (environment: string, backend: string) => string | null {
  return (environment, backend) => pythonFor(config, environment, backend as BackendName);
}

/** What the training and eval activities need from the `ml` configuration. */
export function mlDeps(config: BallastConfig): MlDeps {
  return { pythonFor: pythonOf(config), commands: config.ml.commands };
}

/** What launch validation of real models needs: environments, commands, roots, and the environment probe. */
export function realModelLaunchContext(config: BallastConfig): RealModelLaunchContext {
  return {
    pythonFor: pythonOf(config),
    commandNames: Object.keys(config.ml.commands),
    roots: mlRoots(config),
    rootsSetting: ML_ROOTS_SETTING,
    frameworkRequirements: FRAMEWORK_REQUIREMENTS,
    harnessRequirements: HARNESS_REQUIREMENTS,
    probe: async (input) => {
      try {
        return await probeEnvironment(input);
      } catch (err) {
        if (err instanceof MlEnvironmentError) throw { code: err.code, message: err.message } satisfies EnvironmentProblem;
        throw err;
      }
    },
  };
}
