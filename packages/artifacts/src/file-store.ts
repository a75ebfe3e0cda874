import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeFileAtomic } from './atomic-write.js';
import { ArtifactNotFoundError, ArtifactOutsideRootError, InvalidArtifactJsonError } from './errors.js';
import { TEMP_PREFIX, validateArtifactKey, validateArtifactPrefix } from './key.js';
import type { ArtifactStore, Parser } from './store.js';

/**
 * Artifacts as plain files below `rootDir` (BALLAST_HOME/artifacts), addressed by `file://` URIs.
 * Programs that write many files (trainers, eval harnesses) get a directory from `dirFor` instead of
 * going through the store file by file.
 */
export class FileArtifactStore implements ArtifactStore {
  readonly rootDir: string;

  constructor(rootDir: string) {
    this.rootDir = resolve(rootDir);
  }

  uriFor(key: string): string {
    return pathToFileURL(this.pathOf(key)).href;
  }

  keyFor(uri: string): string {
    const path = this.localPath(uri);
    const rel = relative(this.rootDir, path);
    if (rel === '') throw new ArtifactOutsideRootError(uri, this.rootDir);
    return validateArtifactKey(rel.split(sep).join('/'));
  }

  /**
   * The local file path of a key or a `file://` URI below the root. The check is lexical: a symlink
   * placed inside the root by someone else is not followed to see where it leads.
   */
  localPath(uriOrKey: string): string {
    if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(uriOrKey)) return this.pathOf(uriOrKey);
    let path: string;
    try {
      path = resolve(fileURLToPath(uriOrKey));
    } catch {
      throw new ArtifactOutsideRootError(uriOrKey, this.rootDir);
    }
    const rel = relative(this.rootDir, path);
    if (rel.startsWith('..') || isAbsolute(rel)) throw new ArtifactOutsideRootError(uriOrKey, this.rootDir);
    return path;
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async writeFileAtomic(key: string, data: string | Buffer): Promise<string> {
    await writeFileAtomic(this.pathOf(key), data);
    return this.uriFor(key);
  }

  async writeJson(key: string, value: unknown): Promise<string> {
    return this.writeFileAtomic(key, `${JSON.stringify(value, null, 2)}\n`);
  }

  readJson(key: string): Promise<unknown>;
  readJson<T>(key: string, parser: Parser<T>): Promise<T>;
  async readJson<T>(key: string, parser?: Parser<T>): Promise<unknown> {
    const text = await this.readText(key);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new InvalidArtifactJsonError(key, (error as Error).message);
    }
    if (!parser) return value;
    try {
      return parser.parse(value);
    } catch (error) {
      throw new InvalidArtifactJsonError(key, (error as Error).message);
    }
  }

  async readText(key: string): Promise<string> {
    try {
      return await readFile(this.pathOf(key), 'utf8');
    } catch (error) {
      if (isNotFound(error)) throw new ArtifactNotFoundError(key);
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    validateArtifactPrefix(prefix);
    // Walk only the deepest directory the prefix fully names, then filter like an object store would.
    const cut = prefix.lastIndexOf('/');
    const baseKey = cut === -1 ? '' : prefix.slice(0, cut);
    const keys: string[] = [];
    await this.walk(baseKey, keys);
    return keys.filter((key) => key.startsWith(prefix)).sort();
  }

  /** Ensures the directory for `key` exists and returns its local path. */
  async dirFor(key: string): Promise<string> {
    const path = this.pathOf(key);
    await mkdir(path, { recursive: true, mode: 0o700 });
    return path;
  }

  private pathOf(key: string): string {
    return join(this.rootDir, ...validateArtifactKey(key).split('/'));
  }

  private async walk(dirKey: string, into: string[]): Promise<void> {
    const dir = dirKey === '' ? this.rootDir : this.pathOf(dirKey);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (isNotFound(error) || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return;
      throw error;
    }
    for (const entry of entries) {
      if (entry.name.startsWith(TEMP_PREFIX)) continue;
      const key = dirKey === '' ? entry.name : `${dirKey}/${entry.name}`;
      if (entry.isDirectory()) await this.walk(key, into);
      else if (entry.isFile()) into.push(key);
    }
  }
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
