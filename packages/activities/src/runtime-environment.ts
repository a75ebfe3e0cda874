import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RuntimeEnvironment } from '@ballast/schema';

/** Where a real framework's runner records the environment it runs in, inside the job's OUTPUT. */
export const RUNTIME_ENVIRONMENT_FILE = 'environment.json';

/**
 * The environment a job recorded (Python version, package versions); null when it recorded none (the
 * SIMULATED reference trainer) or the file is not a valid record, which must not stop a checkpoint
 * from being recorded.
 */
export async function readRuntimeEnvironment(outputDir: string): Promise<RuntimeEnvironment | null> {
  try {
    const parsed = RuntimeEnvironment.safeParse(JSON.parse(await readFile(join(outputDir, RUNTIME_ENVIRONMENT_FILE), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
