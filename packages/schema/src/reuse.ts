import { isRealFramework, type ResolvedArm, type ResolvedExperimentSpec, type TrainerSpec } from './spec.js';

/**
 * What decides a training run's result, as a spec states it (docs/architecture.md, "Shared arms"): two
 * runs with equal inputs train the same model, so the second reuses the first's checkpoints and
 * evaluations. Left out on purpose: what only changes how long a run takes or whether it is
 * interrupted (the SIMULATED step sleep, the fault drill, the environment's name: its versions count,
 * through the code version the worker adds), and everything after training (evaluation, analysis).
 */
export function trainerIdentity(trainer: TrainerSpec): Record<string, unknown> {
  if (trainer.framework === 'reference') {
    const { simulatedStepMs: _sleep, simulatedFailAtStep: _drill, ...rest } = trainer;
    return rest;
  }
  if (isRealFramework(trainer)) {
    const { environment: _name, ...rest } = trainer;
    return rest;
  }
  return { ...trainer };
}

/**
 * A run's training inputs at the spec level: the mix as resolved (its seed included), the datasets it
 * names, the trainer, the resources that shape a real framework's batches, the base model and the seed.
 * The worker's training key replaces the datasets and the base model by their content hashes and adds
 * the code version (activities/src/training-key.ts); this one is what a dry run can match before
 * anything is read.
 */
export function trainingInputs(spec: ResolvedExperimentSpec, arm: ResolvedArm): Record<string, unknown> {
  const used = [...new Set(arm.mix.components.map((c) => c.dataset))].sort();
  return {
    mix: arm.mix,
    datasets: Object.fromEntries(used.map((name) => [name, spec.spec.datasets[name]])),
    trainer: trainerIdentity(spec.spec.trainer),
    resources: isRealFramework(spec.spec.trainer) ? { nodes: spec.spec.backend.resources.nodes, gpus: spec.spec.backend.resources.gpus } : null,
    baseCheckpoint: spec.spec.baseCheckpoint,
    seed: arm.seed,
  };
}
