import { appendFile, mkdir } from 'node:fs/promises';
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
