import { createHash } from 'node:crypto';

/** The running sha256 of one shard, fed in write order. */
export interface ShardHash {
  /**
   * Adds `data` after everything added before. `data` must stay unchanged until the returned promise
   * settles; `undefined` means it was consumed at once.
   */
  update(data: Uint8Array): Promise<void> | undefined;
  /** The hex digest of everything added; the hash is finished afterwards. */
  digest(): Promise<string>;
  /** Finishes the hash without a digest (abort paths). */
  discard(): void;
}

/** sha256 on the calling thread (see CopyWorker for one on a worker thread). */
export function inlineHash(): ShardHash {
  const hash = createHash('sha256');
  return {
    update: (data) => {
      hash.update(data);
      return undefined;
    },
    digest: () => Promise.resolve(hash.digest('hex')),
    discard: () => undefined,
  };
}
