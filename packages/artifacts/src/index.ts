/**
 * Artifact storage for Ballast: mix manifests and shards, checkpoints' metadata, eval results. Code talks
 * to the `ArtifactStore` interface and records URIs; `FileArtifactStore` keeps files below
 * BALLAST_HOME/artifacts today, object storage implements the same interface later.
 *
 * @example
 * import { FileArtifactStore } from '@ballast/artifacts';
 * const store = new FileArtifactStore('/var/lib/ballast/artifacts');
 * const uri = await store.writeJson('mixes/mix_abc/manifest.json', manifest); // file:///var/lib/…
 * const shardsDir = await store.dirFor('mixes/mix_abc/shards'); // for a program that writes many files
 */
export type { ArtifactStore, Parser } from './store.js';
export { FileArtifactStore } from './file-store.js';
export { validateArtifactKey, validateArtifactPrefix } from './key.js';
export {
  ARTIFACT_ERROR_CODES,
  ArtifactError,
  ArtifactNotFoundError,
  ArtifactOutsideRootError,
  InvalidArtifactJsonError,
  InvalidArtifactKeyError,
} from './errors.js';
export type { ArtifactErrorCode } from './errors.js';
