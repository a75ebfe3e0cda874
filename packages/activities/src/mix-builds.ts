import { ApplicationFailure } from '@temporalio/common';
import { getMixBuild, updateMixBuild } from '@ballast/db';
import { MixDocument, resolveMixDocument, type MixPreview } from '@ballast/schema';
import { Context } from '@temporalio/activity';
import { MixingError, previewMix } from '@ballast/mixing';
import type { ActivityDeps } from './deps.js';
import { buildMixFor } from './mix.js';
import { registerDataset } from './sources.js';

const PROGRESS_EVERY_MS = 1000;

/**
 * Builds a standalone mix (`ballast mix build`), writing its progress to the database about once a
 * second so the API and CLI can show it, and its outcome when it ends.
 */
export async function buildStandaloneMix(deps: ActivityDeps, input: { buildId: string }): Promise<{ mixId: string; cacheHit: boolean }> {
  const build = await getMixBuild(deps.db, input.buildId);
  if (!build) throw ApplicationFailure.nonRetryable(`no mix build ${input.buildId}`, 'NotFound');
  const doc = MixDocument.parse(build.spec);
  let last = 0;
  try {
    const { manifest, cacheHit } = await buildMixFor(deps, {
      mix: resolveMixDocument(doc),
      datasets: doc.spec.datasets,
      onProgress: (p) => {
        const now = Date.now();
        if (now - last < PROGRESS_EVERY_MS) return;
        last = now;
        void updateMixBuild(deps.db, input.buildId, { phase: p.phase, done: p.done, total: p.total, bytes: p.bytes }).catch(() => undefined);
      },
    });
    await updateMixBuild(deps.db, input.buildId, {
      state: 'SUCCEEDED',
      phase: 'DONE',
      done: manifest.records,
      total: manifest.records,
      bytes: manifest.outputs.find((o) => o.format === 'jsonl')?.shards.reduce((s, x) => s + x.bytes, 0) ?? 0,
      mixId: manifest.mixId,
      cacheHit,
    });
    return { mixId: manifest.mixId, cacheHit };
  } catch (error) {
    const cancelled = (error as { name?: string }).name === 'CancelledFailure' || (error as { code?: string }).code === 'MIX_ABORTED';
    await updateMixBuild(deps.db, input.buildId, {
      state: cancelled ? 'CANCELLED' : 'FAILED',
      error: error instanceof Error ? error.message : String(error),
      errorKind: cancelled ? null : isInputError(error) ? 'input' : 'internal',
    });
    throw error;
  }
}

/**
 * Whether a build failed on its input: the spec does not parse, a source is refused or malformed, a
 * component cannot be filled. Those are non-retryable failures or the mixing engine's own errors.
 */
export function isInputError(error: unknown): boolean {
  if (error instanceof ApplicationFailure) return error.nonRetryable === true;
  if (error instanceof MixingError) return error.code !== 'MIX_ABORTED';
  return (error as { name?: string }).name === 'ZodError';
}

/** Counts, coverage and estimated size of a standalone mix, registering its sources as needed. */
export async function previewStandaloneMix(deps: ActivityDeps, input: { spec: unknown }): Promise<MixPreview> {
  const doc = MixDocument.parse(input.spec);
  const mix = resolveMixDocument(doc);
  const used = [...new Set(mix.components.map((c) => c.dataset))];
  const sources = [];
  for (const name of used) sources.push(await registerDataset(deps, name, doc.spec.datasets[name]!));
  const ctx = Context.current();
  try {
    // Heartbeats carry the cancel of a Ctrl-C'd preview; the signal stops the scan and the record check.
    return await previewMix({ mix, sources, signal: ctx.cancellationSignal, onProgress: (p) => ctx.heartbeat(p) });
  } catch (error) {
    if (error instanceof MixingError && error.code !== 'MIX_ABORTED') throw ApplicationFailure.nonRetryable(error.message, error.code);
    throw error;
  }
}
