import { appendFile, mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { CONTRACT_FILES, MetricsLine } from '@ballast/schema';
import { readJsonlLines } from './jsonl.js';

/**
 * Appends one validated line to OUTPUT/metrics.jsonl. A resumed job appends again for the steps after
 * its checkpoint, so readers should take the last line per step.
 */
export async function appendMetrics(outputDir: string, line: MetricsLine): Promise<void> {
  const valid = MetricsLine.parse(line);
  await mkdir(outputDir, { recursive: true });
  await appendFile(join(outputDir, CONTRACT_FILES.metrics), `${JSON.stringify(valid)}\n`);
}

export async function readMetrics(outputDir: string): Promise<MetricsLine[]> {
  const lines = await readJsonlLines(join(outputDir, CONTRACT_FILES.metrics));
  return lines.map((l) => MetricsLine.parse(l));
}

const TAIL_BYTES = 64 * 1024;

/**
 * The last complete metrics line, reading only the end of the file: progress polling must not cost
 * more as a run gets longer. Null when there is no complete line yet.
 */
export async function readLatestMetrics(outputDir: string): Promise<MetricsLine | null> {
  let handle;
  try {
    handle = await open(join(outputDir, CONTRACT_FILES.metrics), 'r');
  } catch {
    return null;
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    // Only lines ended by a newline are complete; a writer may be halfway through the last one.
    const lines = buffer.toString('utf8').split('\n').slice(0, -1).reverse();
    for (const line of lines) {
      try {
        const parsed = MetricsLine.safeParse(JSON.parse(line));
        if (parsed.success) return parsed.data;
      } catch {
        // A line cut by the tail window's start, or a torn line: look at the one before.
      }
    }
    return null;
  } finally {
    await handle.close();
  }
}
