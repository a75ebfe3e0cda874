import { join } from 'node:path';
import { byStep, readMarkerText, stepDirs, type NativeCheckpoint } from './native.js';

/** verl writes the step of its last finished checkpoint here after the checkpoint itself. */
export const VERL_TRACKER_FILE = 'latest_checkpointed_iteration.txt';
const STEP_DIR = /^global_step_(0|[1-9][0-9]*)$/;

/**
 * verl: `<outputDir>/global_step_N/` is complete once `latest_checkpointed_iteration.txt` holds N or a
 * later step. A directory above the tracker is still being written (or was cut off by a crash).
 */
export async function listCompleteVerlCheckpoints(outputDir: string): Promise<NativeCheckpoint[]> {
  const text = await readMarkerText(join(outputDir, VERL_TRACKER_FILE));
  const latest = text === null ? null : parseStep(text.trim());
  if (latest === null) return [];
  return (await stepDirs(outputDir, STEP_DIR)).filter((c) => c.step <= latest).sort(byStep);
}

function parseStep(text: string): number | null {
  return /^(0|[1-9][0-9]*)$/.test(text) ? Number(text) : null;
}
