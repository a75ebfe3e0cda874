import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { RealTrainerSpec, ResolvedExperimentSpec, TrainingLaunchSpecInput } from '@ballast/schema';
import type { LaunchTarget } from './render/target.js';

/** Under a training job's OUTPUT: where the framework writes its native checkpoints and logs. */
export const NATIVE_OUTPUT_DIR = 'native';

/**
 * The neutral launch spec of one arm of an experiment: the experiment's trainer settings, the arm's mix
 * exported in the framework's format, the base model, and where it runs. Paths were resolved against
 * the allowed roots at launch, so they are used as stored. Launch validation renders this with
 * placeholder shards, so a spec a framework cannot honour is refused before anything starts.
 */
export function experimentLaunchSpec(
  spec: ResolvedExperimentSpec,
  where: { readonly seed: number; readonly shards: readonly string[]; readonly jobOutputDir: string; readonly python: string },
): TrainingLaunchSpecInput {
  const trainer = spec.spec.trainer as RealTrainerSpec;
  const resources = spec.spec.backend.resources;
  return {
    algorithm: trainer.algorithm,
    modelPath: fileURLToPath(spec.spec.baseCheckpoint),
    dataset: { format: trainer.framework, paths: [...where.shards] },
    steps: trainer.steps,
    saveEvery: trainer.saveEvery,
    seed: where.seed,
    nodes: resources.nodes ?? 1,
    gpusPerNode: resources.gpus,
    outputDir: join(where.jobOutputDir, NATIVE_OUTPUT_DIR),
    python: where.python,
    groupSize: trainer.groupSize,
    batchSize: trainer.batchSize,
    options: trainer.options,
    ...(trainer.learningRate !== undefined ? { learningRate: trainer.learningRate } : {}),
    ...(trainer.klCoef !== undefined ? { klCoef: trainer.klCoef } : {}),
    ...(trainer.maxPromptLength !== undefined ? { maxPromptLength: trainer.maxPromptLength } : {}),
    ...(trainer.maxResponseLength !== undefined ? { maxResponseLength: trainer.maxResponseLength } : {}),
    ...(trainer.reward ? { reward: { path: fileURLToPath(trainer.reward.path), name: trainer.reward.name } } : {}),
  };
}

/** The render target of a trainer: OpenRLHF's flag dialect follows its version (filled in at launch). */
export function experimentLaunchTarget(trainer: RealTrainerSpec): LaunchTarget {
  switch (trainer.framework) {
    case 'trl':
      return { framework: 'trl' };
    case 'verl':
      return { framework: 'verl' };
    case 'openrlhf':
      return { framework: 'openrlhf', version: trainer.version ?? '' };
  }
}

/**
 * Where a neutral launch-spec field lives in an experiment spec, for errors: most fields are the
 * trainer's own; placement comes from the backend's resources.
 */
export function experimentFieldOf(launchField: string): string {
  const [head, ...rest] = launchField.split('.');
  const tail = rest.length > 0 ? `.${rest.join('.')}` : '';
  switch (head) {
    case 'modelPath':
      return 'spec.baseCheckpoint';
    case 'nodes':
      return 'spec.backend.resources.nodes';
    case 'gpusPerNode':
      return 'spec.backend.resources.gpus';
    case 'seed':
      return 'spec.seed';
    case 'dataset':
    case 'outputDir':
    case 'python':
      return `spec.trainer${tail}`;
    case 'options':
      // The rendezvous options of a multi-node TRL run are Ballast's, not the user's.
      return rest[0] === 'rendezvous' ? 'spec.backend.resources.nodes' : `spec.trainer.options${tail}`;
    default:
      return `spec.trainer.${launchField}`;
  }
}
