/**
 * Dataset mixing: exact, deterministic, streaming mixes with lineage. Sources are registered once
 * (format, sha256, record count, tag dictionaries, malformed lines quarantined) into a compact index;
 * mixes select on the index and copy record bytes verbatim into canonical JSONL and trainer formats,
 * sharded and published atomically, with a manifest that ties every record to its source.
 *
 * @example
 * import { buildMix, registerSource } from '@ballast/mixing';
 * const regular = await registerSource({ path: '/data/regular.jsonl', storeDir: '/ballast/artifacts/sources' });
 * const traits = await registerSource({ path: '/data/traits.jsonl.zst', storeDir: '/ballast/artifacts/sources' });
 * const { manifest } = await buildMix({
 *   mix: resolvedMix,                      // @ballast/schema ResolvedMix
 *   sources: [{ dataset: 'regular', uri: 'file:///data/regular.jsonl', registration: regular },
 *             { dataset: 'traits', uri: 'file:///data/traits.jsonl.zst', registration: traits }],
 *   mixesDir: '/ballast/artifacts/mixes',
 * });
 */
export { buildMix, previewMix, readMixManifest, mixDirectory, mixIdFor, recordIdOf, MANIFEST_FILE, SPREAD_WINDOW } from './engine.js';
export type { MixEngineOptions, MixProgress, MixSourceInput } from './engine.js';
export { computeMixId, MIXER_VERSION } from './mix-id.js';
export { requestedCounts } from './plan.js';
export { apportion } from './apportion.js';
export { interleave } from './schedule.js';
export { registerSource, openSourceIndex, forEachIndexChunk } from './sources/index.js';
export type { SourceRegistration, SourceIndex, RegisterSourceOptions, TagSchema, SourceFormat } from './sources/index.js';
export { createOutputWriter, publishOutputs } from './outputs/index.js';
export { buildContaminationIndex, checkRecord } from './analysis/index.js';
export {
  MixingError,
  MixingErrorCode,
  MixComponentShortError,
  MalformedSourceError,
  InvalidMixError,
  UnknownDatasetError,
  SourceDigestMismatchError,
  SourceChangedError,
  MixAbortedError,
  NativeCopyUnavailableError,
} from './errors.js';
export { resolveCopyMode, type CopyMode } from './native.js';
export type { MalformedLine } from './errors.js';
export {
  SourceError,
  SourceErrorCode,
  MalformedSourceRateError,
  SourceRegistrationAbortedError,
  UnsupportedSourceError,
  UnknownTagValueError,
} from './sources/index.js';
export type { DeclaredTagValues } from './sources/index.js';
export { recordUsesOf, type RecordUse } from './record-check.js';
export { NO_TRAIT } from './tag-counts.js';
