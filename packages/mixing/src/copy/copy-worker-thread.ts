import { createHash, type Hash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import type { CopyReply, CopyRequest } from './copy-worker.js';
import { openBlockReads, type BlockReads } from './block-reads.js';
import { ReadList } from './read-list.js';

/**
 * Worker entry (see CopyWorker): keeps one sha256 per open shard hash, helps fill blocks (keeping each
 * copy's sources open between its blocks), and answers every request in the order received, so the
 * caller can match replies to requests with a queue.
 */
const hashes = new Map<number, Hash>();
const port = parentPort!;

/** Each copy's sources, opened on its first request for help and kept until it releases them. */
const sessions = new Map<number, BlockReads>();

function help(m: Extract<CopyRequest, { op: 'help' }>): void {
  let reads = sessions.get(m.session);
  if (reads === undefined) {
    reads = openBlockReads(m.paths, m.reads);
    sessions.set(m.session, reads);
  }
  reads.read(new ReadList(m.capacity, m.list), new Uint8Array(m.target), true);
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
    } else if (m.op === 'release') {
      sessions.get(m.session)?.close();
      sessions.delete(m.session);
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
