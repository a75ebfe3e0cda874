import { join } from 'node:path';
import { byStep, readMarkerText, stepDirs, type NativeCheckpoint } from './native.js';

/** The Trainer writes its state into each checkpoint after the weights and optimizer. */
export const TRL_TRAINER_STATE_FILE = 'trainer_state.json';
const STEP_DIR = /^checkpoint-(0|[1-9][0-9]*)$/;

/**
 * TRL (transformers Trainer): `<outputDir>/checkpoint-N/` is complete once its `trainer_state.json`
 * exists, parses, and records `global_step` N.
 */
export async function listCompleteTrlCheckpoints(outputDir: string): Promise<NativeCheckpoint[]> {
  const out: NativeCheckpoint[] = [];
  for (const candidate of await stepDirs(outputDir, STEP_DIR)) {
    const text = await readMarkerText(join(candidate.nativePath, TRL_TRAINER_STATE_FILE));
    if (text !== null && globalStep(text) === candidate.step) out.push(candidate);
  }
  return out.sort(byStep);
}

function globalStep(text: string): number | null {
  try {
    const state: unknown = JSON.parse(text);
    if (typeof state !== 'object' || state === null) return null;
    const step = (state as { global_step?: unknown }).global_step;
    return typeof step === 'number' && Number.isInteger(step) ? step : null;
  } catch {
    return null;
  }
}
