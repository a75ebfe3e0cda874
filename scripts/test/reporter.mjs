// A node:test reporter that `npm test` adds beside the visible one (through NODE_OPTIONS): it appends one
// JSON line per test file started and ended, and per test result, to the file BALLAST_TEST_EVENTS names.
// Several `node --test` processes (one per package) run at once, so each line is a single append (atomic
// for lines this short on Linux) and the runner reads the file after (or, past its deadline, during) the run.
import { appendFileSync } from 'node:fs';

const destination = process.env.BALLAST_TEST_EVENTS;

function record(line) {
  if (destination) appendFileSync(destination, `${JSON.stringify(line)}\n`);
}

/** The file-level "test" node:test makes for each file it runs in a subprocess is named after the file. */
const isFileLevel = (data) => Boolean(data.file) && data.name === data.file;

export default async function* fileTimings(source) {
  for await (const event of source) {
    const data = event.data ?? {};
    switch (event.type) {
      case 'test:dequeue':
        if (isFileLevel(data)) record({ event: 'start', file: data.file, at: Date.now() });
        break;
      case 'test:complete':
        if (isFileLevel(data)) record({ event: 'end', file: data.file, ms: data.details?.duration_ms ?? 0, passed: data.details?.passed !== false });
        break;
      case 'test:pass':
      case 'test:fail': {
        // Suites are counted through their tests; a file-level failure (an import error, a file timeout)
        // is counted once, since no test of that file reported it.
        if (data.details?.type === 'suite') break;
        const outcome = data.skip || data.todo ? 'skipped' : event.type === 'test:pass' ? 'passed' : 'failed';
        record({ event: 'result', file: data.file ?? null, name: data.name, outcome });
        break;
      }
      default:
        break;
    }
  }
}
