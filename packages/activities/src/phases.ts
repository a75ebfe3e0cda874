import { setExperimentPhase as storeExperimentPhase, updateArm } from '@ballast/db';
import type { ArmPhase, ExperimentPhase } from '@ballast/workflow-contract';
import type { ActivityDeps } from './deps.js';

export async function setExperimentPhase(
  deps: ActivityDeps,
  input: { experimentId: string; phase: ExperimentPhase; error?: string | null },
): Promise<void> {
  await storeExperimentPhase(deps.db, input.experimentId, input.phase, input.error);
}

export async function setArmPhase(deps: ActivityDeps, input: { armId: string; phase: ArmPhase }): Promise<void> {
  await updateArm(deps.db, input.armId, { phase: input.phase });
}
