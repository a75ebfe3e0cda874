import { ApplicationFailure } from '@temporalio/common';
import { FrameworkRenderError, FrameworkSpecError, prepareTrlSftAttack } from '@ballast/frameworks';
import { runnerProgramPath } from '@ballast/framework-runner';
import { programPaths } from '@ballast/reference-workload';
import { CONTRACT_VERSION, isRealFramework, type AttackJobSpec, type RealTrainerSpec, type ResolvedExperimentSpec } from '@ballast/schema';
import { checkpointModelDir } from './checkpoint-model.js';
import type { ActivityDeps } from './deps.js';
import { jobSpecKey } from './job-locations.js';
import { ENVIRONMENT_NAME_VAR } from './trainers/framework-trainer.js';

/** The SIMULATED reference attack's learning rate when the spec leaves it out. */
export const REFERENCE_ATTACK_LEARNING_RATE = 0.5;

export interface AttackJobInput {
  readonly deps: ActivityDeps;
  readonly spec: ResolvedExperimentSpec;
  readonly jobId: string;
  readonly outputDir: string;
  /** The attacked run's final checkpoint directory. */
  readonly baseCheckpointPath: string;
  readonly dataPath: string;
  readonly steps: number;
  readonly saveSteps: readonly number[];
  readonly batchSize: number;
  readonly learningRate: number | null;
  readonly seed: number;
}

export interface PreparedAttackJob {
  readonly command: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly specUri: string;
}

/** How an attack job is prepared for a trainer: the SIMULATED reference attack, or TRL SFT for real models. */
export interface AttackJob {
  prepare(input: AttackJobInput): Promise<PreparedAttackJob>;
}

const referenceAttack: AttackJob = {
  async prepare(input) {
    const trainer = input.spec.spec.trainer;
    const jobSpec: AttackJobSpec = {
      contractVersion: CONTRACT_VERSION,
      kind: 'attack',
      baseCheckpointPath: input.baseCheckpointPath,
      datasetPaths: [input.dataPath],
      steps: input.steps,
      saveSteps: [...input.saveSteps],
      batchSize: input.batchSize,
      learningRate: input.learningRate ?? REFERENCE_ATTACK_LEARNING_RATE,
      seed: input.seed,
      simulatedStepMs: trainer.framework === 'reference' ? trainer.simulatedStepMs : 0,
    };
    const specUri = await input.deps.store.writeJson(jobSpecKey(input.jobId), jobSpec);
    return { command: [process.execPath, programPaths.attack], env: {}, specUri };
  },
};

/**
 * A real model's attack: TRL supervised fine-tuning of the final checkpoint's Hugging Face directory,
 * run by the framework runner (which commits its checkpoints through the contract), in the trainer's
 * environment. Whatever framework trained the model, TRL attacks it.
 */
const trlSftAttack: AttackJob = {
  async prepare(input) {
    const trainer = input.spec.spec.trainer as RealTrainerSpec;
    const python = input.deps.ml?.pythonFor(trainer.environment, input.spec.spec.backend.kind) ?? null;
    if (python === null) throw ApplicationFailure.nonRetryable(`no environment '${trainer.environment}' is configured (ml.environments) on this worker`, 'EnvironmentUnknown');
    let prepared;
    try {
      prepared = await prepareTrlSftAttack({
        checkpointPath: await checkpointModelDir(input.baseCheckpointPath),
        datasetPath: input.dataPath,
        steps: input.steps,
        saveSteps: [...input.saveSteps],
        batchSize: input.batchSize,
        learningRate: input.learningRate,
        seed: input.seed,
        python,
        ...(trainer.framework === 'trl' && trainer.version !== undefined ? { version: trainer.version } : {}),
        gpus: input.spec.spec.backend.resources.gpus,
        outputDir: input.outputDir,
      });
    } catch (err) {
      // The attack data or settings cannot make a launch; a retry reads the same.
      if (err instanceof FrameworkSpecError || err instanceof FrameworkRenderError) throw ApplicationFailure.nonRetryable(err.message, 'AttackInvalid');
      throw err;
    }
    const specUri = await input.deps.store.writeJson(jobSpecKey(input.jobId), prepared.jobSpec);
    return { command: [process.execPath, runnerProgramPath], env: { [ENVIRONMENT_NAME_VAR]: trainer.environment }, specUri };
  },
};

export function attackJobFor(spec: ResolvedExperimentSpec): AttackJob {
  if (spec.spec.trainer.framework === 'reference') return referenceAttack;
  if (isRealFramework(spec.spec.trainer)) return trlSftAttack;
  throw ApplicationFailure.nonRetryable(`attacks are not supported for trainer.framework '${spec.spec.trainer.framework}'`, 'AttackUnsupported');
}
