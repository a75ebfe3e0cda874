import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTRACT_VERSION, ReferenceTrainerSpec, type ConversationRecord, type TrainJobSpec } from '@ballast/schema';
import { generateReferenceCorpora } from './corpora.js';
import { countReferenceTokens } from './tokens.js';

/** Shared by this package's tests only: a small mixed dataset and a train spec over it. */
export async function smallTrainSpec(trainer: Partial<ReferenceTrainerSpec> = {}, seed = 1): Promise<TrainJobSpec> {
  const dir = await mkdtemp(join(tmpdir(), 'rw-fixture-'));
  const { regular, traits } = await generateReferenceCorpora({ outDir: dir, seed: 0, regularRecords: 120, traitRecords: 30 });
  const datasetPath = join(dir, 'mix.jsonl');
  await writeFile(datasetPath, (await readFile(regular.path, 'utf8')) + (await readFile(traits.path, 'utf8')));
  return {
    contractVersion: CONTRACT_VERSION,
    kind: 'train',
    datasetPaths: [datasetPath],
    baseCheckpoint: 'reference://init',
    trainer: ReferenceTrainerSpec.parse({ framework: 'reference', steps: 20, batchSize: 8, saveEvery: 5, simulatedStepMs: 0, ...trainer }),
    seed,
  };
}

/** Reference tokens of the first `n` records read from `paths` in order, wrapping to the start as the trainer does. */
export async function referenceTokensOfFirst(paths: readonly string[], n: number): Promise<number> {
  const texts = await Promise.all(paths.map((p) => readFile(p, 'utf8')));
  const records = texts.flatMap((t) => t.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as ConversationRecord));
  let total = 0;
  for (let i = 0; i < n; i++) total += countReferenceTokens(records[i % records.length]!);
  return total;
}
