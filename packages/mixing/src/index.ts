/**
 * Dataset mixing: exact, deterministic, streaming mixes of JSONL sources, content-addressed by mixId,
 * each written with a manifest that records what was drawn from where. Same spec and same source
 * bytes give byte-identical output.
 *
 * @example
 * import { buildMix, describeSource } from '@ballast/mixing';
 * const traits = await describeSource('/data/traits.jsonl');
 * const manifest = await buildMix({
 *   mix: { totalRecords: 3200, seed: 0, components: [
 *     { name: 'regular', dataset: 'regular', fraction: 0.95, filter: {} },
 *     { name: 'traits', dataset: 'traits', fraction: 0.05, filter: { domain: { in: ['healthcare'] } } },
 *   ] },
 *   sources: {
 *     regular: { path: '/data/regular.jsonl', uri: 'file:///data/regular.jsonl', sha256: regularSha },
 *     traits: { path: '/data/traits.jsonl', uri: 'file:///data/traits.jsonl', sha256: traits.sha256 },
 *   },
 *   outDir: '/mixes/run-1',
 * });
 * console.log(manifest.mixId, manifest.output.sha256);
 */
export { buildMix, MixPhase, MIX_FILE, MANIFEST_FILE } from './build-mix.js';
export type { BuildMixOptions, MixProgress, MixSource } from './build-mix.js';
export { computeMixId, MIXER_VERSION } from './mix-id.js';
export { describeSource, MAX_LISTED_MALFORMED } from './describe-source.js';
export type { SourceDescription } from './describe-source.js';
export { apportion } from './apportion.js';
export { NO_TRAIT } from './tag-counts.js';
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
} from './errors.js';
export type { MalformedLine } from './errors.js';
