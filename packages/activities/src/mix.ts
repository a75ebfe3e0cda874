import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { buildMix, computeMixId, describeSource, MixingError, MANIFEST_FILE, MIX_FILE } from '@ballast/mixing';
import { getArm, getExperiment, getMix, recordMix, registerDatasetSource, updateArm } from '@ballast/db';
import { MixManifest, type ResolvedArm, type ResolvedExperimentSpec } from '@ballast/schema';
import type { PreparedMix } from '@ballast/workflows';
import { join } from 'node:path';
import type { ActivityDeps } from './deps.js';
import { datasetPath } from './datasets.js';
import { derivedId } from './hashing.js';

export function mixKey(mixId: string, file: string): string {
  return `mixes/${mixId}/${file}`;
}

/**
 * Builds the arm's mix from its sources: registers each source (sha256, record count), derives the
 * content-addressed mix id and builds the mix unless that id already exists (a cache hit does no work).
 */
export async function prepareArmMix(deps: ActivityDeps, input: { experimentId: string; armId: string }): Promise<PreparedMix> {
  const ctx = Context.current();
  const experiment = await getExperiment(deps.db, input.experimentId);
  const arm = await getArm(deps.db, input.armId);
  if (!experiment || !arm) throw ApplicationFailure.nonRetryable(`no arm ${input.armId} in ${input.experimentId}`, 'NotFound');
  const spec = experiment.resolvedSpec as ResolvedExperimentSpec;
  const resolvedArm = arm.resolved as ResolvedArm;
  const used = [...new Set(resolvedArm.mix.components.map((c) => c.dataset))];
  const sources: Record<string, { path: string; uri: string; sha256: string }> = {};
  for (const name of used) {
    const ref = spec.spec.datasets[name]!;
    const path = await datasetPath(ref.uri, deps.paths.referenceDatasets);
    ctx.heartbeat({ phase: 'describe', dataset: name });
    const description = await describeSource(path);
    await registerDatasetSource(deps.db, {
      id: derivedId('dataset', ref.uri, description.sha256),
      uri: ref.uri,
      path,
      format: ref.format,
      sha256: description.sha256,
      bytes: description.bytes,
      records: description.records,
    });
    sources[name] = { path, uri: ref.uri, sha256: description.sha256 };
  }
  const mixId = computeMixId(resolvedArm.mix, sources);
  const existing = await getMix(deps.db, mixId);
  if (existing && (await deps.store.exists(mixKey(mixId, MANIFEST_FILE)))) {
    await updateArm(deps.db, input.armId, { mixId });
    return { mixId, records: existing.records, cacheHit: true };
  }
  const outDir = join(deps.paths.artifacts, 'mixes', mixId);
  let manifest: MixManifest;
  try {
    manifest = await buildMix({
      mix: resolvedArm.mix,
      sources,
      outDir,
      signal: ctx.cancellationSignal,
      onProgress: (p) => ctx.heartbeat(p),
    });
  } catch (error) {
    if (error instanceof MixingError) {
      throw ApplicationFailure.nonRetryable(`arm '${arm.name}': ${error.message}`, error.code);
    }
    throw error;
  }
  await recordMix(deps.db, {
    id: mixId,
    manifestUri: deps.store.uriFor(mixKey(mixId, MANIFEST_FILE)),
    dataUri: deps.store.uriFor(mixKey(mixId, MIX_FILE)),
    records: manifest.records,
    sha256: manifest.output.sha256,
  });
  await updateArm(deps.db, input.armId, { mixId });
  return { mixId, records: manifest.records, cacheHit: false };
}
