import { DATASET_ROOTS_SETTING, datasetRoots, type BallastConfig } from '@ballast/config';
import { isUserPathError, resolveUserPath } from '@ballast/user-paths';

/**
 * The API's check of a dataset URI at launch, mix preview and mix build, so that a path the workers
 * would refuse is reported at its field before anything starts. It is the resolver the workers use,
 * with the same roots; the workers check again when they read (the file may change in between).
 * Returns why the URI cannot be used, or null. reference:// corpora are generated on first use.
 */
export function datasetIssueChecker(config: Pick<BallastConfig, 'home' | 'datasets'>): (uri: string) => string | null {
  const resolve = datasetResolver(config);
  return (uri) => {
    if (/^reference:\/\/(regular|traits)$/.test(uri)) return null;
    const resolved = resolve(uri);
    return 'issue' in resolved ? resolved.issue : null;
  };
}

/**
 * The checked absolute path of a `file://` dataset URI (what the API reads when it checks a file's
 * records at launch), or null when datasetIssueChecker reports the URI.
 */
export function datasetPathResolver(config: Pick<BallastConfig, 'home' | 'datasets'>): (uri: string) => string | null {
  const resolve = datasetResolver(config);
  return (uri) => {
    const resolved = resolve(uri);
    return 'path' in resolved ? resolved.path : null;
  };
}

function datasetResolver(config: Pick<BallastConfig, 'home' | 'datasets'>): (uri: string) => { path: string } | { issue: string } {
  const roots = datasetRoots(config);
  return (uri) => {
    try {
      return { path: resolveUserPath(uri, { field: 'uri', roots, rootsSetting: DATASET_ROOTS_SETTING }).path };
    } catch (error) {
      if (isUserPathError(error)) return { issue: `${error.reason} (${error.code})` };
      throw error;
    }
  };
}
