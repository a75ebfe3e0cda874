import { join } from 'node:path';
import { openRlhfActorCheckpointDir } from '../render/openrlhf.js';
import { byStep, readMarkerText, stepDirs, type NativeCheckpoint } from './native.js';

/** DeepSpeed names the tag of its last finished checkpoint in this file, written after the tag's files. */
export const DEEPSPEED_LATEST_FILE = 'latest';
const TAG = /^global_step(0|[1-9][0-9]*)$/;

/**
 * OpenRLHF (both flag dialects; the layout is the same): `<outputDir>/ckpt/_actor/global_stepN/` is
 * complete once DeepSpeed's `_actor/latest` names a later tag, or names it and the run has ended:
 * OpenRLHF writes the Hugging Face copy (`global_stepN_hf/`, what is evaluated) after `latest`, so
 * `latest` naming N alone does not mean that copy is finished. The `_hf` copies are not listed.
 */
export async function listCompleteOpenRlhfCheckpoints(outputDir: string, options: { runEnded?: boolean } = {}): Promise<NativeCheckpoint[]> {
  const actorDir = openRlhfActorCheckpointDir(outputDir);
  const text = await readMarkerText(join(actorDir, DEEPSPEED_LATEST_FILE));
  const m = text === null ? null : TAG.exec(text.trim());
  if (m === null) return [];
  const latest = Number(m[1]);
  return (await stepDirs(actorDir, TAG)).filter((c) => c.step < latest || (c.step === latest && options.runEnded === true)).sort(byStep);
}
