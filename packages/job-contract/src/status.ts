import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CONTRACT_FILES, JobStatusFile } from '@ballast/schema';
import type { z } from 'zod';
import { writeFileAtomic } from './atomic-write.js';

export async function writeStatusFile(outputDir: string, status: z.input<typeof JobStatusFile>): Promise<JobStatusFile> {
  const valid = JobStatusFile.parse(status);
  await mkdir(outputDir, { recursive: true });
  await writeFileAtomic(join(outputDir, CONTRACT_FILES.status), `${JSON.stringify(valid)}\n`);
  return valid;
}

/** The job's status file, or null while the job has not finished (or died without writing one). */
export async function readStatusFile(outputDir: string): Promise<JobStatusFile | null> {
  let text: string;
  try {
    text = await readFile(join(outputDir, CONTRACT_FILES.status), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  return JobStatusFile.parse(JSON.parse(text));
}
