import { nativeCopyAvailable, NativeCopyUnavailableError } from '@ballast/mixing';

/**
 * What `worker.mixCopy` means on this host, for the worker's start-up log; a worker configured
 * for `native` where the native copy is not built refuses to start rather than fail each mix.
 */
export function mixCopyModeOnThisHost(setting: 'auto' | 'native' | 'node'): string {
  const available = nativeCopyAvailable();
  if (setting === 'native' && !available) throw new NativeCopyUnavailableError();
  if (setting === 'node') return 'mix copy: fs.readSync and buffered writes (worker.mixCopy is node)';
  return available ? 'mix copy: native (reads in C, shards written with O_DIRECT)' : 'mix copy: fs.readSync and buffered writes (the native copy is not built here)';
}
