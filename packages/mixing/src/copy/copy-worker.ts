import { Worker } from 'node:worker_threads';
import type { ShardHash } from '../outputs/index.js';
import type { ReadList } from './read-list.js';

export type CopyRequest =
  | { op: 'update'; id: number; data: Uint8Array }
  | { op: 'digest'; id: number }
  | { op: 'drop'; id: number }
  | { op: 'help'; session: number; list: SharedArrayBuffer; capacity: number; target: SharedArrayBuffer; paths: readonly string[]; reads: 'native' | 'node' }
  | { op: 'release'; session: number };
export type CopyReply = { ok: true; hex?: string } | { ok: false; message: string };

interface Waiter {
  resolve(reply: CopyReply): void;
  reject(err: Error): void;
}

/** One copy's use of the worker for reading: its sources stay open in the worker between blocks. */
export interface CopySession {
  help(list: ReadList, target: SharedArrayBuffer): Promise<void>;
  /** Closes the worker's files for this copy; no help is asked for after this. */
  release(): void;
}

/**
 * The worker thread that takes work off the thread copying a mix: it computes the shards' sha256 (as
 * much work as reading the records, on a 2-core machine), and when it has nothing to hash it helps
 * read the block being filled. Requests are handled in the order sent, so a block's hashing always
 * waits for any help with reading it. One worker serves the process; it starts on first use and holds
 * the process open only while a reply is awaited.
 *
 * Bytes in a SharedArrayBuffer are hashed where they lie; other bytes are copied once to the worker.
 */
export class CopyWorker {
  private static shared: CopyWorker | undefined;

  /** The process's copy worker, started unless it is running (start early: it takes a few ms to start). */
  static start(): CopyWorker {
    if (CopyWorker.shared === undefined || CopyWorker.shared.failure !== undefined) CopyWorker.shared = new CopyWorker();
    return CopyWorker.shared;
  }

  private readonly worker: Worker;
  /** Replies come in request order, so one queue matches them for every request. */
  private readonly waiting: Waiter[] = [];
  private nextId = 1;
  private nextSession = 1;
  private failure: Error | undefined;

  private constructor() {
    this.worker = new Worker(new URL('./copy-worker-thread.js', import.meta.url));
    this.worker.unref();
    this.worker.on('message', (reply: CopyReply) => {
      this.waiting.shift()?.resolve(reply);
      // Held open only while a reply is awaited.
      if (this.waiting.length === 0) this.worker.unref();
    });
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => this.fail(new Error(`the copy worker exited with code ${code}`)));
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiting.splice(0)) w.reject(this.failure);
  }

  private request(message: CopyRequest, transfer?: ArrayBuffer[]): Promise<CopyReply> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise<CopyReply>((resolve, reject) => {
      if (this.waiting.length === 0) this.worker.ref();
      this.waiting.push({ resolve, reject });
      this.worker.postMessage(message, transfer);
    });
  }

  /** A new reading session: the worker keeps its open sources for it until `release`. */
  session(paths: readonly string[], reads: 'native' | 'node'): CopySession {
    const session = this.nextSession++;
    return {
      /**
       * Asks the worker to work through `list` (already reset) too, reading into `target`; the caller
       * works through it as well. Settles once the worker has nothing left to claim; a caller that finds
       * reads still under way (`!list.complete`) awaits it. The list and target must not be reset or
       * reused until a request sent after this one has been answered (as the block's hash is).
       */
      help: (list, target) => {
        const helped = this.request({ op: 'help', session, list: list.memory, capacity: list.capacity, target, paths, reads }).then((reply) => {
          if (!reply.ok) throw new Error(`copy worker: ${reply.message}`);
        });
        helped.catch(() => undefined);
        return helped;
      },
      release: () => {
        this.request({ op: 'release', session }).catch(() => undefined);
      },
    };
  }

  /** A sha256 for one shard. */
  hash(): ShardHash {
    const id = this.nextId++;
    let open = true;
    const finish = (): void => {
      open = false;
    };
    const check = (reply: CopyReply): Extract<CopyReply, { ok: true }> => {
      if (!reply.ok) throw new Error(`copy worker: ${reply.message}`);
      return reply;
    };
    return {
      update: (data) => {
        if (!open) return Promise.reject(new Error('the shard hash is finished'));
        // Posting a view of an ordinary buffer would copy all of its backing store: copy just the bytes.
        const shared = data.buffer instanceof SharedArrayBuffer;
        const bytes = shared ? data : new Uint8Array(data);
        return this.request({ op: 'update', id, data: bytes }, shared ? undefined : [bytes.buffer as ArrayBuffer]).then((reply) => {
          check(reply);
        });
      },
      digest: async () => {
        if (!open) throw new Error('the shard hash is finished');
        try {
          return check(await this.request({ op: 'digest', id })).hex!;
        } finally {
          finish();
        }
      },
      discard: () => {
        if (!open) return;
        finish();
        this.request({ op: 'drop', id }).catch(() => undefined);
      },
    };
  }
}
