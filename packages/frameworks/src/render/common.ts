import { FrameworkRenderError } from '../errors.js';
import { DATASET_FORMAT_OF, SHARD_EXTENSION_OF, type Framework } from '../framework.js';
import type { TrainingSpec } from '../spec.js';

/** Refuses shards exported for another framework, and paths whose extension says so. */
export function checkDatasetFormat(framework: Framework, spec: TrainingSpec): void {
  const expected = DATASET_FORMAT_OF[framework];
  if (spec.dataset.format !== expected) {
    throw FrameworkRenderError.datasetFormatMismatch(framework, expected, spec.dataset.format);
  }
  const ext = SHARD_EXTENSION_OF[expected];
  spec.dataset.paths.forEach((p, i) => {
    if (!p.endsWith(ext)) {
      throw FrameworkRenderError.valueNotRenderable(framework, `dataset.paths.${i}`, `a '${expected}' shard must end with '${ext}' (got ${JSON.stringify(p)})`);
    }
  });
}

/**
 * Refuses a value containing any of `forbidden`: characters the framework's own parsing would split
 * on or interpret, so the value would not reach it as written.
 */
export function forbidChars(framework: Framework, field: string, value: string, forbidden: readonly string[], why: string): void {
  const hit = forbidden.find((c) => value.includes(c));
  if (hit !== undefined) {
    throw FrameworkRenderError.valueNotRenderable(framework, field, `must not contain ${JSON.stringify(hit)}: ${why} (got ${JSON.stringify(value)})`);
  }
}

/** `ceil(steps / saveEvery)`: how many native checkpoints a run writes, so rotation can keep them all. */
export function checkpointCount(spec: TrainingSpec): number {
  return Math.ceil(spec.steps / spec.saveEvery);
}
