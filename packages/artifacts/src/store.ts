/** Something with a `parse` method, such as a zod schema; keeps this package free of a zod dependency. */
export interface Parser<T> {
  parse(input: unknown): T;
}

/**
 * Where Ballast keeps artifacts (mix manifests, shards, eval results). Keys are relative slash paths such
 * as `mixes/mix_abc/manifest.json`; URIs are what gets recorded elsewhere. Object storage implements this
 * same interface later, so nothing here may assume a local file system.
 */
export interface ArtifactStore {
  /** The URI recorded for `key` (e.g. `file:///…`, later `s3://…`). */
  uriFor(key: string): string;
  /** The key of a URI this store issued; throws for URIs outside the store. */
  keyFor(uri: string): string;
  exists(key: string): Promise<boolean>;
  /** Readers see either the old content or the new, never a partial file. Returns the URI. */
  writeFileAtomic(key: string, data: string | Buffer): Promise<string>;
  /** Pretty-printed JSON with a trailing newline, written atomically. Returns the URI. */
  writeJson(key: string, value: unknown): Promise<string>;
  readJson(key: string): Promise<unknown>;
  readJson<T>(key: string, parser: Parser<T>): Promise<T>;
  readText(key: string): Promise<string>;
  /** Keys of all artifacts whose key starts with `prefix`, sorted. */
  list(prefix: string): Promise<string[]>;
}
