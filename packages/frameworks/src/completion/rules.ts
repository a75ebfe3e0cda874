import { Framework } from '../framework.js';
import { parseOrThrow } from '../spec.js';
import type { NativeCheckpoint } from './native.js';
import { listCompleteOpenRlhfCheckpoints } from './openrlhf.js';
import { listCompleteTrlCheckpoints } from './trl.js';
import { listCompleteVerlCheckpoints } from './verl.js';

type Rule = (outputDir: string, options: { runEnded?: boolean }) => Promise<NativeCheckpoint[]>;
const RULES: Readonly<Record<Framework, Rule>> = {
  verl: (dir) => listCompleteVerlCheckpoints(dir),
  openrlhf: listCompleteOpenRlhfCheckpoints,
  trl: (dir) => listCompleteTrlCheckpoints(dir),
};

/**
 * The native checkpoints under a run's output dir (the spec's `outputDir`) that the framework has
 * finished writing, oldest step first. Incomplete ones are left out, never reported as errors.
 */
export async function listCompleteNativeCheckpoints(
  framework: Framework,
  outputDir: string,
  /** `runEnded`: the framework has exited (successfully); the last checkpoint's trailing writes are done. */
  options: { runEnded?: boolean } = {},
): Promise<NativeCheckpoint[]> {
  return RULES[parseOrThrow(Framework, framework, 'framework')](outputDir, options);
}
