import { parentPort, workerData } from 'node:worker_threads';
import { scanRange } from './scan-range.js';
/** Worker entry: scans the byte range in workerData, posting progress per read chunk and the result last. */
const task = workerData;
const result = scanRange(task, (bytes, records) => parentPort?.postMessage({ type: 'progress', bytes, records }));
parentPort?.postMessage({ type: 'done', result });
//# sourceMappingURL=scan-worker.js.map