import { parentPort } from 'node:worker_threads';
import { scanRange, type RangeTask } from './scan-range.js';

/**
 * Worker entry: scans each byte range it is sent, posting progress per read chunk and the result last.
 * The worker stays up between tasks, so that later registrations skip its start.
 */
const port = parentPort!;
port.on('message', (task: RangeTask) => {
  try {
    const result = scanRange(task, (bytes, records) => port.postMessage({ type: 'progress', bytes, records }));
    port.postMessage({ type: 'done', result });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    port.postMessage({ type: 'failed', message: e instanceof Error ? e.message : String(err), code: e?.code });
  }
});
