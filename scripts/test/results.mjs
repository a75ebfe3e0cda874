// Reads what scripts/test/reporter.mjs recorded: counts, per-file durations, files still running.
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';

/** Everything the reporter wrote so far (a run killed at its deadline may leave a last line half written). */
export function readResults(eventsFile, root) {
  const lines = existsSync(eventsFile) ? readFileSync(eventsFile, 'utf8').split('\n') : [];
  const counts = { passed: 0, failed: 0, skipped: 0 };
  const started = new Map();
  const ended = new Map();
  const failures = [];
  for (const line of lines) {
    let entry;
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    const file = entry.file ? relative(root, entry.file) : '(unknown file)';
    if (entry.event === 'start') started.set(file, entry.at);
    else if (entry.event === 'end') ended.set(file, { file, seconds: entry.ms / 1000, passed: entry.passed });
    else if (entry.event === 'result') {
      counts[entry.outcome] += 1;
      if (entry.outcome === 'failed') failures.push(`${file}: ${entry.name}`);
    }
  }
  const running = [...started].filter(([file]) => !ended.has(file)).map(([file, at]) => ({ file, seconds: (Date.now() - at) / 1000 }));
  return { ...counts, files: [...ended.values()], running, failures };
}

/** The `count` slowest files, one line each, slowest first. */
export function slowestFiles(files, count = 10) {
  return [...files]
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, count)
    .map((f) => `${f.seconds.toFixed(1).padStart(7)} s  ${f.file}${f.passed ? '' : '  (failed)'}`);
}
