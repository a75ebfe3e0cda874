import {
  listArms,
  listCheckpoints,
  evaluationsForCheckpoints,
  type ArmRow,
  type Db,
  type ExperimentRow,
  usageByArm,
} from '@ballast/db';
import type { ExperimentView, ResolvedExperimentSpec } from '@ballast/schema';

/** Checkpoint evaluations a run is planned to have: one per committed checkpoint (every `saveEvery` steps and the last), or the final one. */
export function plannedEvaluations(spec: ResolvedExperimentSpec): number {
  const { steps, saveEvery } = spec.spec.trainer;
  return spec.spec.evaluation.checkpoints === 'final' ? 1 : Math.floor(steps / saveEvery) + (steps % saveEvery === 0 ? 0 : 1);
}

/** The experiment as the API shows it: phase, provenance and per-arm progress, from the database. */
export async function experimentView(db: Db, row: ExperimentRow): Promise<ExperimentView> {
  const armRows: ArmRow[] = await listArms(db, row.id);
  const checkpoints = await listCheckpoints(db, armRows.map((a) => a.id));
  const evals = await evaluationsForCheckpoints(db, checkpoints.map((c) => c.id));
  const evaluatedCheckpoints = new Set(evals.map((e) => e.checkpointId));
  const usage = new Map((await usageByArm(db, armRows.map((a) => a.id))).map((u) => [u.armId, u]));
  const hours = (armId: string, key: 'gpuSeconds' | 'cpuSeconds') => (usage.get(armId)?.[key] ?? 0) / 3600;
  const spec = row.resolvedSpec as ResolvedExperimentSpec;
  const planned = plannedEvaluations(spec);
  return {
    id: row.id,
    name: row.name,
    phase: row.phase as ExperimentView['phase'],
    simulated: row.simulated,
    specHash: row.specHash,
    launchedBy: row.launchedBy,
    ballastVersion: row.ballastVersion,
    gitCommit: row.gitCommit,
    workflowId: row.workflowId,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt ? row.finishedAt.toISOString() : null,
    error: row.error,
    arms: armRows.map((arm) => {
      const own = checkpoints.filter((c) => c.armId === arm.id);
      return {
        armId: arm.id,
        name: arm.name,
        phase: arm.phase as ExperimentView['arms'][number]['phase'],
        trainStep: arm.trainStep,
        totalSteps: arm.totalSteps,
        checkpoints: own.length,
        evaluations: own.filter((c) => evaluatedCheckpoints.has(c.id)).length,
        evaluationsPlanned: planned,
        gpuHours: hours(arm.id, 'gpuSeconds'),
        cpuHours: hours(arm.id, 'cpuSeconds'),
        metrics: (arm.metrics as Record<string, number> | null) ?? {},
        reusedFromArmId: arm.reusedFromArmId,
      };
    }),
    gpuHours: armRows.reduce((sum, arm) => sum + hours(arm.id, 'gpuSeconds'), 0),
    cpuHours: armRows.reduce((sum, arm) => sum + hours(arm.id, 'cpuSeconds'), 0),
  };
}
