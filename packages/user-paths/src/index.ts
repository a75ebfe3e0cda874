/**
 * The one resolver for every path a user names (dataset URIs today; models, reward functions and task
 * files later): a `file://` URI or an absolute path is resolved with realpath (symlinks and `..`
 * followed), must land inside one of the allowed roots (compared by path segments), and must be a
 * regular file, or the regular shard files of a declared directory. Devices, FIFOs, sockets and
 * anything under /proc, /sys or /dev are refused. Errors are UserPathError with a stable code
 * (PATH_INVALID, PATH_NOT_FOUND, PATH_OUTSIDE_ROOTS, PATH_NOT_REGULAR_FILE, PATH_NOT_READABLE) and
 * name the field and the name given, never file contents.
 *
 * @example
 * const resolved = resolveUserPath('file:///srv/data/traits.jsonl', {
 *   field: 'spec.datasets.traits.uri',
 *   roots: ['/home/me/.ballast/datasets', '/srv/data'],
 *   rootsSetting: 'datasets.allowedRoots',
 * });
 * // resolved.kind === 'file'; resolved.path is the real path to open
 */
export { resolveUserPath, type ResolveUserPathOptions, type ResolvedUserPath, type ResolvedFile } from './resolve.js';
export { UserPathError, USER_PATH_ERROR_CODES, isUserPathError, showGiven, type UserPathErrorCode } from './errors.js';
export { isUnder } from './roots.js';
export { readUserFilePrefix } from './read-prefix.js';
