import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The file a model built by Ballast (`ballast models tiny`) carries to say what it is. */
export const MODEL_LABEL_FILE = 'BALLAST_MODEL.json';

const ModelLabelFile = z.object({ label: z.string().min(1).max(500) });

/**
 * The label a base model gives itself, for the report's banner: a tiny random model must never be read
 * as a finding. Undefined for the reference policy and for models without the file.
 */
export async function baseModelLabel(baseCheckpoint: string): Promise<string | undefined> {
  if (!baseCheckpoint.startsWith('file://')) return undefined;
  try {
    const parsed = ModelLabelFile.safeParse(JSON.parse(await readFile(join(fileURLToPath(baseCheckpoint), MODEL_LABEL_FILE), 'utf8')));
    return parsed.success ? parsed.data.label : undefined;
  } catch {
    return undefined;
  }
}
