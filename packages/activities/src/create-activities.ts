import type { BallastActivities } from '@ballast/workflow-contract';
import type { ActivityDeps } from './deps.js';
import { setArmPhase, setExperimentPhase } from './phases.js';
import { prepareArmMix } from './mix.js';
import { runTrainingJob } from './training.js';
import { evaluateCheckpoint } from './evaluation.js';
import { computeReport } from './report.js';
import { buildStandaloneMix, previewStandaloneMix } from './mix-builds.js';
import { reconcileBackends } from './reconcile.js';
import { persistencePlan, runAttackJob } from './attack.js';

/**
 * Builds the activities over their dependencies. The return type is the interface the workflows proxy,
 * so a mismatch between the two fails to compile.
 */
export function createActivities(deps: ActivityDeps): BallastActivities {
  return {
    setExperimentPhase: (input) => setExperimentPhase(deps, input),
    setArmPhase: (input) => setArmPhase(deps, input),
    prepareArmMix: (input) => prepareArmMix(deps, input),
    runTrainingJob: (input) => runTrainingJob(deps, input),
    evaluateCheckpoint: (input) => evaluateCheckpoint(deps, input),
    persistencePlan: (input) => persistencePlan(deps, input),
    runAttackJob: (input) => runAttackJob(deps, input),
    computeReport: (input) => computeReport(deps, input),
    buildStandaloneMix: (input) => buildStandaloneMix(deps, input),
    previewStandaloneMix: (input) => previewStandaloneMix(deps, input),
    reconcileBackends: () => reconcileBackends(deps),
  };
}
