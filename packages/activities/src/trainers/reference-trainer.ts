import { programPaths } from '@ballast/reference-workload';
import { CONTRACT_VERSION, type ReferenceTrainerSpec, type TrainJobSpec } from '@ballast/schema';
import { jobSpecKey } from '../job-locations.js';
import { trainingShards } from '../mix.js';
import type { PreparedTrainingJob, Trainer, TrainerInput } from './trainer.js';

/** The SIMULATED reference trainer: a Node program reading the canonical JSONL shards. */
export const referenceTrainer: Trainer = {
  async prepare({ deps, spec, arm, manifest, jobId }: TrainerInput): Promise<PreparedTrainingJob> {
    const jobSpec: TrainJobSpec = {
      contractVersion: CONTRACT_VERSION,
      kind: 'train',
      datasetPaths: trainingShards(deps, manifest),
      baseCheckpoint: spec.spec.baseCheckpoint,
      trainer: spec.spec.trainer as ReferenceTrainerSpec,
      seed: arm.seed,
    };
    const specUri = await deps.store.writeJson(jobSpecKey(jobId), jobSpec);
    return { command: [process.execPath, programPaths.train], env: {}, specUri };
  },
};
