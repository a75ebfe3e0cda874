import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { CopyReply, CopyRequest } from './copy-worker.js';
import { readClaimed, ReadList } from './read-list.js';

/**
 * Worker entry (see CopyWorker): keeps one sha256 per open shard hash, helps fill blocks, and answers
 * every request in the order received, so the caller can match replies to requests with a queue.
 */
const hashes = new Map<number, Hash>();
const port = parentPort!;

function help(m: Extract<CopyRequest, { op: 'help' }>): void {
  const fds = new Map<number, number>();
  const fdOf = (source: number): number => {
    let fd = fds.get(source);
    if (fd === undefined) {
      fd = openSync(m.paths[source]!, 'r');
      fds.set(source, fd);
    }
    return fd;
  };
  try {
    readClaimed(new ReadList(m.capacity, m.list), fdOf, new Uint8Array(m.target), true);
  } finally {
    for (const fd of fds.values()) closeSync(fd);
  }
}

port.on('message', (m: CopyRequest) => {
  let reply: CopyReply;
  try {
    if (m.op === 'update') {
      let hash = hashes.get(m.id);
      if (hash === undefined) {
        hash = createHash('sha256');
        hashes.set(m.id, hash);
      }
      hash.update(m.data);
      reply = { ok: true };
    } else if (m.op === 'digest') {
      const hex = (hashes.get(m.id) ?? createHash('sha256')).digest('hex');
      hashes.delete(m.id);
      reply = { ok: true, hex };
    } else if (m.op === 'drop') {
      hashes.delete(m.id);
      reply = { ok: true };
    } else {
      help(m);
      reply = { ok: true };
    }
  } catch (err) {
    reply = { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(reply);
});
