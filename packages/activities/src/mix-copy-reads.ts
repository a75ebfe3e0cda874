import { nativeRecordCopyAvailable, NativeCopyUnavailableError } from '@ballast/mixing';

/**
 * What `worker.mixCopyReads` means on this host, for the worker's start-up log; a worker configured
 * for `native` where the native record copy is not built refuses to start rather than fail each mix.
 */
export function mixCopyReadsOnThisHost(setting: 'auto' | 'native' | 'node'): string {
  const available = nativeRecordCopyAvailable();
  if (setting === 'native' && !available) throw new NativeCopyUnavailableError();
  if (setting === 'node') return 'mix copy: fs.readSync per record (worker.mixCopyReads is node)';
  return available ? 'mix copy: native record copy' : 'mix copy: fs.readSync per record (the native record copy is not built here)';
}
