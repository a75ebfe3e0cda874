import { Framework } from '../framework.js';
import { parseOrThrow } from '../spec.js';
import type { NativeCheckpoint } from './native.js';
import { listCompleteOpenRlhfCheckpoints } from './openrlhf.js';
import { listCompleteTrlCheckpoints } from './trl.js';
import { listCompleteVerlCheckpoints } from './verl.js';

const RULES: Readonly<Record<Framework, (outputDir: string) => Promise<NativeCheckpoint[]>>> = {
  verl: listCompleteVerlCheckpoints,
  openrlhf: listCompleteOpenRlhfCheckpoints,
  trl: listCompleteTrlCheckpoints,
};

/**
 * The native checkpoints under a run's output dir (the spec's `outputDir`) that the framework has
 * finished writing, oldest step first. Incomplete ones are left out, never reported as errors.
 */
export async function listCompleteNativeCheckpoints(framework: Framework, outputDir: string): Promise<NativeCheckpoint[]> {
  return RULES[parseOrThrow(Framework, framework, 'framework')](outputDir);
}
