import { DATASET_ROOTS_SETTING, datasetRoots, type BallastConfig } from '@ballast/config';
import { isUserPathError, resolveUserPath } from '@ballast/user-paths';

/**
 * The API's check of a dataset URI at launch, mix preview and mix build, so that a path the workers
 * would refuse is reported at its field before anything starts. It is the resolver the workers use,
 * with the same roots; the workers check again when they read (the file may change in between).
 * Returns why the URI cannot be used, or null. reference:// corpora are generated on first use.
 */
export function datasetIssueChecker(config: Pick<BallastConfig, 'home' | 'datasets'>): (uri: string) => string | null {
  const roots = datasetRoots(config);
  return (uri) => {
    if (/^reference:\/\/(regular|traits)$/.test(uri)) return null;
    try {
      resolveUserPath(uri, { field: 'uri', roots, rootsSetting: DATASET_ROOTS_SETTING });
      return null;
    } catch (error) {
      if (isUserPathError(error)) return `${error.reason} (${error.code})`;
      throw error;
    }
  };
}
