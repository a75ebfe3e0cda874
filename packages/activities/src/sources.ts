import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { join } from 'node:path';
import { registerDatasetSource } from '@ballast/db';
import { MixingError, registerSource, SourceErrorCode, type MixSourceInput } from '@ballast/mixing';
import type { DatasetRef } from '@ballast/schema';
import type { ActivityDeps } from './deps.js';
import { datasetPath } from './datasets.js';
import { derivedId } from './hashing.js';

/** Where source registrations (canonical data + index) live in the artifact store. */
export function sourceStoreDir(deps: ActivityDeps): string {
  return join(deps.paths.artifacts, 'sources');
}

/**
 * Source errors that come from the file's bytes (malformed rate, unsupported format, tag values), which
 * a retry reads again unchanged. Not these: a cancelled registration, and a corrupt store index (the
 * store's trouble, not the input's).
 */
const SOURCE_INPUT_ERRORS = new Set<unknown>(
  Object.values(SourceErrorCode).filter((code) => code !== SourceErrorCode.aborted && code !== SourceErrorCode.indexCorrupt),
);

function isSourceInputError(error: unknown): boolean {
  return SOURCE_INPUT_ERRORS.has((error as { code?: unknown } | null)?.code);
}

/**
 * Registers a dataset (format, sha256, record count, tag schema, malformed lines quarantined) unless an
 * unchanged file is registered already, and records it in the database. Heartbeats its progress.
 */
export async function registerDataset(deps: ActivityDeps, name: string, ref: DatasetRef): Promise<MixSourceInput> {
  const ctx = Context.current();
  const path = await datasetPath(ref.uri, deps.paths, `datasets.${name}.uri`);
  let registration;
  try {
    registration = await registerSource({
      path,
      format: ref.format,
      tagSchema: ref.tags,
      storeDir: sourceStoreDir(deps),
      maxMalformedRate: ref.maxMalformedRate,
      ...(ref.tagValues ? { tagValues: ref.tagValues } : {}),
      signal: ctx.cancellationSignal,
      onProgress: ({ phase, ...p }) => ctx.heartbeat({ phase: 'register', step: phase, dataset: name, ...p }),
    });
  } catch (error) {
    if (error instanceof MixingError || isSourceInputError(error)) {
      throw ApplicationFailure.nonRetryable(`dataset '${name}' (${ref.uri}): ${(error as Error).message}`, (error as { code: string }).code);
    }
    throw error;
  }
  await registerDatasetSource(deps.db, {
    id: derivedId('dataset', ref.uri, registration.sha256),
    uri: ref.uri,
    path,
    format: registration.format,
    sha256: registration.sha256,
    bytes: registration.bytes,
    records: registration.records,
  });
  return { dataset: name, uri: ref.uri, registration };
}
