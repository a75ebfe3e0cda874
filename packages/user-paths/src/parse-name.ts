import { isAbsolute, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserPathError } from './errors.js';

/** PATH_MAX on Linux; a longer name cannot be opened anyway. */
const MAX_PATH_BYTES = 4096;

/**
 * The absolute path a `file://` URI or an absolute path names, not yet resolved against the file
 * system. Relative names are refused: their meaning would depend on the server's working directory.
 */
export function absolutePathOf(given: string, field: string): string {
  if (given.length === 0) throw UserPathError.invalid(field, given, 'empty');
  if (given.includes('\0')) throw UserPathError.invalid(field, given, 'contains a NUL byte');
  let path: string;
  if (/^file:/i.test(given)) {
    try {
      path = fileURLToPath(given);
    } catch {
      throw UserPathError.invalid(field, given, "a file URI must be 'file:///absolute/path' (no host, no encoded '/')");
    }
    // A percent-encoded NUL only appears after decoding.
    if (path.includes('\0')) throw UserPathError.invalid(field, given, 'contains a NUL byte');
  } else if (/^[a-z][a-z0-9+.-]*:/i.test(given)) {
    throw UserPathError.invalid(field, given, "only file:// URIs and absolute paths name files");
  } else {
    path = given;
  }
  if (!isAbsolute(path)) throw UserPathError.invalid(field, given, 'relative paths are not accepted; give an absolute path or a file:/// URI');
  if (Buffer.byteLength(path) > MAX_PATH_BYTES) throw UserPathError.invalid(field, given, `longer than ${MAX_PATH_BYTES} bytes`);
  return normalize(path);
}
