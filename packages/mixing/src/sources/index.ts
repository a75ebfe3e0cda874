/**
 * Source registration: a source (JSONL, gzip or zstd JSONL, Parquet) is read once and gets a compact
 * binary index (byte offset, length, tag codes and normalised content hash per record) over a canonical
 * JSONL data file, so that mixes select on the index and copy byte ranges verbatim instead of parsing
 * records again. Registrations are cached by file identity and by content sha256.
 *
 * @example
 * import { registerSource, forEachIndexChunk } from '@ballast/mixing';
 * const reg = await registerSource({ path: '/data/traits.jsonl.zst', storeDir: '/var/ballast/sources' });
 * await forEachIndexChunk(reg, 65536, (chunk, first) => {
 *   for (let i = 0; i < chunk.records; i++) {
 *     if (reg.dictionaries.domain[chunk.domain(i)] === 'health') keep(first + i, chunk.offset(i), chunk.length(i));
 *   }
 * });
 */
export { registerSource, REGISTRATION_FILE } from './register.js';
export type { RegisterSourceOptions, SourceRegistration, FileIdentity } from './register.js';
export { EXCERPT_BYTES } from './excerpt.js';
export { openSourceIndex, forEachIndexChunk, forEachIndexRows, ROW_BYTES } from './index-file.js';
export type { SourceIndex } from './index-file.js';
export { SourceFormat } from './formats.js';
export { DEFAULT_TAG_SCHEMA } from './tag-schema.js';
export type { TagSchema } from './tag-schema.js';
export {
  SourceError,
  SourceErrorCode,
  MalformedSourceRateError,
  SourceRegistrationAbortedError,
  UnsupportedSourceError,
  TooManyTagValuesError,
  SourceIndexCorruptError,
  UnknownTagValueError,
} from './errors.js';
export type { DeclaredTagValues } from './tag-values.js';
export { scanWorkerThreads, releaseIdleScanWorkers } from './scan-file.js';
export type { MalformedSample } from './errors.js';
