import { ApplicationFailure } from '@temporalio/common';
import { CONTRACT_VERSION, type CommandTrainerSpec, type TrainJobSpec } from '@ballast/schema';
import { jobSpecKey } from '../job-locations.js';
import { trainingShards } from '../mix.js';
import type { PreparedTrainingJob, Trainer, TrainerInput } from './trainer.js';

/**
 * A team's own trainer: the program configured under `ml.commands.<name>`, its configured arguments,
 * then the spec's `args`, as an argv (no shell). It reads the same job spec as the reference trainer
 * and speaks the job contract itself.
 */
export const commandTrainer: Trainer = {
  async prepare({ deps, spec, arm, manifest, jobId }: TrainerInput): Promise<PreparedTrainingJob> {
    const trainer = spec.spec.trainer as CommandTrainerSpec;
    const command = deps.ml?.commands[trainer.command];
    if (!command) {
      throw ApplicationFailure.nonRetryable(`no command '${trainer.command}' is configured (ml.commands) on this worker`, 'CommandUnknown');
    }
    const jobSpec: TrainJobSpec = {
      contractVersion: CONTRACT_VERSION,
      kind: 'train',
      datasetPaths: trainingShards(deps, manifest),
      baseCheckpoint: spec.spec.baseCheckpoint,
      trainer,
      seed: arm.seed,
    };
    const specUri = await deps.store.writeJson(jobSpecKey(jobId), jobSpec);
    return { command: [command.program, ...command.args, ...trainer.args], env: {}, specUri };
  },
};
