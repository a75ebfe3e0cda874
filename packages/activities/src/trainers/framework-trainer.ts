import { ApplicationFailure } from '@temporalio/common';
import { dirname, join } from 'node:path';
import {
  experimentLaunchSpec,
  experimentLaunchTarget,
  FrameworkRenderError,
  FrameworkSpecError,
  NATIVE_OUTPUT_DIR,
  prepareLaunch,
  renderLaunch,
} from '@ballast/frameworks';
import { runnerProgramPath } from '@ballast/framework-runner';
import { CONTRACT_VERSION, type FrameworkTrainJobSpec, type RealTrainerSpec } from '@ballast/schema';
import { jobSpecKey } from '../job-locations.js';
import { trainingShards } from '../mix.js';
import type { PreparedTrainingJob, Trainer, TrainerInput } from './trainer.js';

/** The variable the framework runner names the environment by in environment.json. */
export const ENVIRONMENT_NAME_VAR = 'BALLAST_ENVIRONMENT_NAME';

/**
 * TRL, verl or OpenRLHF: the launch is rendered by @ballast/frameworks and prepared in the job
 * directory; the backend runs the framework runner, which starts the launch, commits the framework's
 * checkpoints as contract checkpoints as they complete, and turns its metrics into contract metrics.
 */
export const frameworkTrainer: Trainer = {
  async prepare({ deps, spec, arm, manifest, jobId, outputDir }: TrainerInput): Promise<PreparedTrainingJob> {
    const trainer = spec.spec.trainer as RealTrainerSpec;
    const backend = spec.spec.backend.kind;
    const python = deps.ml?.pythonFor(trainer.environment, backend) ?? null;
    if (python === null) {
      throw ApplicationFailure.nonRetryable(`no environment '${trainer.environment}' is configured (ml.environments) on this worker`, 'EnvironmentUnknown');
    }
    const launchSpec = experimentLaunchSpec(spec, { seed: arm.seed, shards: trainingShards(deps, manifest, trainer.framework), jobOutputDir: outputDir, python });
    let prepared;
    try {
      prepared = await prepareLaunch(renderLaunch(launchSpec, experimentLaunchTarget(trainer)), outputDir);
    } catch (err) {
      // Launch validation renders the same spec; reaching this means the stored spec cannot run at all.
      if (err instanceof FrameworkRenderError || err instanceof FrameworkSpecError) {
        throw ApplicationFailure.nonRetryable(err.message, 'FrameworkRenderFailed');
      }
      throw err;
    }
    const jobSpec: FrameworkTrainJobSpec = {
      contractVersion: CONTRACT_VERSION,
      kind: 'framework-train',
      framework: trainer.framework,
      ...(trainer.version !== undefined ? { version: trainer.version } : {}),
      launch: { argv: [...prepared.command], env: { ...prepared.env }, cwd: prepared.cwd },
      nativeOutputDir: join(outputDir, NATIVE_OUTPUT_DIR),
      steps: trainer.steps,
      saveEvery: trainer.saveEvery,
      python,
    };
    const specUri = await deps.store.writeJson(jobSpecKey(jobId), jobSpec);
    // verl and OpenRLHF run on Ray: across several Slurm nodes, the backend starts a Ray cluster over the
    // allocation (the environment's own `ray`, beside its interpreter) and runs the runner as its driver.
    const nodes = spec.spec.backend.resources.nodes ?? 1;
    const onRay = trainer.framework !== 'trl' && backend === 'slurm' && nodes > 1;
    return {
      command: [process.execPath, runnerProgramPath],
      env: { [ENVIRONMENT_NAME_VAR]: trainer.environment },
      specUri,
      ...(onRay ? { distributed: { kind: 'ray' as const, rayExecutable: join(dirname(python), 'ray') } } : {}),
    };
  },
};
