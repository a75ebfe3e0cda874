import { resolveCopyMode } from '@ballast/mixing';

/**
 * What `worker.mixCopy` means on this host, for the worker's start-up log; a worker configured
 * for `native` where the native copy is not built refuses to start rather than fail each mix.
 */
export function mixCopyModeOnThisHost(setting: 'auto' | 'native' | 'node'): string {
  if (resolveCopyMode(setting) === 'native') return 'mix copy: native (reads in C, shards written with O_DIRECT)';
  return setting === 'node'
    ? 'mix copy: fs.readSync and buffered writes (worker.mixCopy is node)'
    : 'mix copy: fs.readSync and buffered writes (the native copy is not built here)';
}
