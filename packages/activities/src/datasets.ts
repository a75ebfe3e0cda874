import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateReferenceCorpora } from '@ballast/reference-workload';

/** Seed of the SIMULATED reference corpora; fixed so every BALLAST_HOME generates the same bytes. */
export const REFERENCE_CORPUS_SEED = 20260601;

let generating: Promise<unknown> | null = null;

/** Generates the SIMULATED reference corpora once per directory; concurrent callers share one run. */
export async function ensureReferenceCorpora(dir: string): Promise<void> {
  generating ??= generateReferenceCorpora({ outDir: dir, seed: REFERENCE_CORPUS_SEED }).finally(() => {
    generating = null;
  });
  await generating;
}

/** The local path a dataset URI names; reference:// corpora are generated on first use. */
export async function datasetPath(uri: string, referenceDir: string): Promise<string> {
  const reference = /^reference:\/\/(regular|traits)$/.exec(uri);
  if (reference) {
    await ensureReferenceCorpora(referenceDir);
    return join(referenceDir, `${reference[1]}.jsonl`);
  }
  return fileURLToPath(uri);
}
