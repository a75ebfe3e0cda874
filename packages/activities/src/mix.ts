import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { buildMix, MixingError, type MixProgress, type MixSourceInput } from '@ballast/mixing';
import { getArm, getExperiment, recordMix, updateArm } from '@ballast/db';
import { writeBenchmarkItems } from '@ballast/reference-workload';
import type { DatasetRef, MixManifest, MixOutputFormat, ResolvedArm, ResolvedExperimentSpec, ResolvedMix } from '@ballast/schema';
import type { PreparedMix } from '@ballast/workflow-contract';
import type { ActivityDeps } from './deps.js';
import { registerDataset } from './sources.js';

export function mixesDir(deps: ActivityDeps): string {
  return join(deps.paths.artifacts, 'mixes');
}

/** The shards of a built mix in one output format, in order: canonical JSONL (what the reference trainer reads) by default. */
export function trainingShards(deps: ActivityDeps, manifest: MixManifest, format: MixOutputFormat = 'jsonl'): string[] {
  const output = manifest.outputs.find((o) => o.format === format);
  if (!output) throw ApplicationFailure.nonRetryable(`mix ${manifest.mixId} has no '${format}' output`, 'MixOutputMissing');
  return output.shards.map((s) => join(mixesDir(deps), manifest.mixId, output.dir, s.file));
}

/**
 * Registers the datasets a mix uses and builds it with the mixing engine (a cache hit when that mix
 * exists), recording the mix and its manifest in the database. Shared by experiment arms and
 * standalone `ballast mix build`.
 */
export async function buildMixFor(
  deps: ActivityDeps,
  input: { mix: ResolvedMix; datasets: Record<string, DatasetRef>; trainer?: 'reference'; onProgress?: (p: MixProgress) => void },
): Promise<{ manifest: MixManifest; cacheHit: boolean }> {
  const ctx = Context.current();
  const used = [...new Set(input.mix.components.map((c) => c.dataset))];
  const sources: MixSourceInput[] = [];
  for (const name of used) sources.push(await registerDataset(deps, name, input.datasets[name]!));
  const benchmarkItems = input.mix.decontaminate
    ? [...(await writeBenchmarkItems(deps.paths.benchmarks)).entries()].map(([benchmark, path]) => ({ benchmark, path }))
    : [];
  let result;
  try {
    result = await buildMix({
      mix: input.mix,
      sources,
      mixesDir: mixesDir(deps),
      benchmarkItems,
      copyMode: deps.mixCopy ?? 'auto',
      // The trainer's record requirements fail the build here rather than the training job later.
      ...(input.trainer ? { trainer: input.trainer } : {}),
      signal: ctx.cancellationSignal,
      onProgress: (p) => {
        ctx.heartbeat(p);
        input.onProgress?.(p);
      },
    });
  } catch (error) {
    if (error instanceof MixingError && error.code !== 'MIX_ABORTED') {
      throw ApplicationFailure.nonRetryable(error.message, error.code);
    }
    throw error;
  }
  const { manifest } = result;
  const mixDir = `mixes/${manifest.mixId}`;
  await recordMix(deps.db, {
    id: manifest.mixId,
    manifestUri: deps.store.uriFor(`${mixDir}/manifest.json`),
    dataUri: deps.store.uriFor(`${mixDir}/jsonl`),
    records: manifest.records,
    sha256: createHash('sha256')
      .update(manifest.outputs.find((o) => o.format === 'jsonl')!.shards.map((s) => s.sha256).join('\n'))
      .digest('hex'),
    manifest,
  });
  return { manifest, cacheHit: result.cacheHit };
}

/** Builds an experiment arm's mix. */
export async function prepareArmMix(deps: ActivityDeps, input: { experimentId: string; armId: string }): Promise<PreparedMix> {
  const experiment = await getExperiment(deps.db, input.experimentId);
  const arm = await getArm(deps.db, input.armId);
  if (!experiment || !arm) throw ApplicationFailure.nonRetryable(`no arm ${input.armId} in ${input.experimentId}`, 'NotFound');
  const spec = experiment.resolvedSpec as ResolvedExperimentSpec;
  const resolvedArm = arm.resolved as ResolvedArm;
  try {
    const { manifest, cacheHit } = await buildMixFor(deps, { mix: resolvedArm.mix, datasets: spec.spec.datasets, ...(spec.spec.trainer.framework === 'reference' ? { trainer: 'reference' as const } : {}) });
    await updateArm(deps.db, input.armId, { mixId: manifest.mixId });
    return { mixId: manifest.mixId, records: manifest.records, cacheHit };
  } catch (error) {
    if (error instanceof ApplicationFailure && error.nonRetryable) {
      throw ApplicationFailure.nonRetryable(`arm '${arm.name}': ${error.message}`, error.type ?? 'MixFailed');
    }
    throw error;
  }
}
