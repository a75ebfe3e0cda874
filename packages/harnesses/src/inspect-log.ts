import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { HarnessLogError, HarnessRunError } from './errors.js';
import { clusterOf, itemsFromSamples, summarizeItems, type HarnessScores, type ScoredSample } from './scores.js';

/**
 * The parts of inspect_ai's JSON log (`--log-format json`) this adapter reads. Loose: the log holds much
 * more (plan, stats, events), and newer inspect releases add fields.
 */
const Header = z.looseObject({
  status: z.string(),
  eval: z.looseObject({
    task: z.string().optional(),
    packages: z.record(z.string(), z.string()).optional(),
    config: z.looseObject({ epochs: z.number().int().positive().nullish() }).optional(),
    scorers: z.array(z.looseObject({ name: z.string() })).nullish(),
    dataset: z.looseObject({ sample_ids: z.array(z.union([z.string(), z.number()])).nullish() }).optional(),
  }),
  error: z.looseObject({ message: z.string() }).nullish(),
  samples: z.array(z.unknown()).nullish(),
});

const Sample = z.looseObject({
  id: z.union([z.string().min(1), z.number()]),
  epoch: z.number().int().positive(),
  scores: z.record(z.string(), z.looseObject({ value: z.unknown() })).nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  error: z.looseObject({ message: z.string() }).nullish(),
});

/** inspect's letter grades: correct, incorrect, partial, no answer. */
const GRADES: Readonly<Record<string, number>> = { C: 1, I: 0, P: 0.5, N: 0 };

export interface InspectLogOptions {
  /** Which scorer's value is the metric; the log's first scorer when left out. */
  readonly scorer?: string;
}

/**
 * Reads one inspect_ai JSON log into per-item results. Items are the sample ids (stable across arms),
 * in the dataset's order (`eval.dataset.sample_ids`; the log lists samples as they finished); each
 * epoch is one sample of its item; `metadata.cluster` (or `metadata.conversation_id`) is the cluster.
 *
 * @throws HarnessRunError when the log's status is not `success` (with inspect's own error message)
 * @throws HarnessLogError when a sample's score cannot be read as a number (naming the sample)
 */
export async function readInspectLog(path: string, options: InspectLogOptions = {}): Promise<HarnessScores> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new HarnessLogError('inspect', path, '(file)', `cannot be read as JSON: ${(err as Error).message}`);
  }
  const header = Header.safeParse(json);
  if (!header.success) throw new HarnessLogError('inspect', path, '(file)', `is not an inspect log: ${issueText(header.error)}`);
  const log = header.data;
  const rawSamples = log.samples ?? [];

  if (log.status !== 'success') {
    const firstSampleError = rawSamples.map((s) => Sample.safeParse(s)).find((s) => s.success && s.data.error)?.data?.error?.message;
    throw HarnessRunError.failedLog('inspect', path, log.status, log.error?.message ?? firstSampleError ?? 'inspect recorded no error message');
  }
  const version = log.eval.packages?.['inspect_ai'];
  if (version === undefined) throw new HarnessLogError('inspect', path, 'eval.packages', 'does not record the inspect_ai version');
  if (rawSamples.length === 0) throw HarnessRunError.missing('inspect', path, 'the log holds no samples (inspect was run with --no-log-samples, or the dataset is empty)');

  const samples = rawSamples.map((raw, i) => {
    const parsed = Sample.safeParse(raw);
    if (!parsed.success) throw new HarnessLogError('inspect', path, `samples[${i}]`, issueText(parsed.error));
    return parsed.data;
  });
  const scorer = options.scorer ?? log.eval.scorers?.[0]?.name ?? Object.keys(samples[0]?.scores ?? {})[0];
  if (scorer === undefined) throw new HarnessLogError('inspect', path, '(file)', 'names no scorer and its samples carry no scores');

  const scored: ScoredSample[] = samples.map((s) => {
    const at = `sample '${s.id}' epoch ${s.epoch}`;
    if (s.error) throw HarnessRunError.failedLog('inspect', path, `success, but ${at} failed`, s.error.message);
    const score = s.scores?.[scorer];
    if (score === undefined) {
      const has = Object.keys(s.scores ?? {});
      throw new HarnessLogError('inspect', path, at, `has no score from scorer '${scorer}' (it has: ${has.length > 0 ? has.join(', ') : 'none'})`);
    }
    const cluster = clusterOf(s.metadata?.['cluster']) ?? clusterOf(s.metadata?.['conversation_id']);
    return { itemId: String(s.id), value: scoreValue(score.value, path, at), ...(cluster === undefined ? {} : { cluster }) };
  });

  const { items: seen, samplesPerItem } = itemsFromSamples(scored);
  const items = inDatasetOrder(seen, log.eval.dataset?.sample_ids);
  const epochs = log.eval.config?.epochs ?? 1;
  for (const [itemId, count] of samplesPerItem) {
    if (count !== epochs) throw new HarnessLogError('inspect', path, `sample '${itemId}'`, `has ${count} epochs in the log, the run asked for ${epochs}`);
  }
  return { harness: { kind: 'inspect', version }, items, samplesPerItem: epochs, ...summarizeItems(items), scoredBy: scorer, sources: [path] };
}

/**
 * Reads the one JSON log inspect wrote into `logDir` (a directory used for one run of one task).
 *
 * @throws HarnessRunError when there is no log, or more than one (a task file with several tasks run at once)
 */
export async function readInspectLogDir(logDir: string, options: InspectLogOptions = {}): Promise<HarnessScores> {
  let names: string[];
  try {
    names = await readdir(logDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    names = [];
  }
  const logs = names.filter((n) => n.endsWith('.json')).sort();
  if (logs.length === 0) {
    const evalFiles = names.filter((n) => n.endsWith('.eval'));
    const hint = evalFiles.length > 0 ? ` (found ${evalFiles.length} .eval file(s): run inspect with --log-format json)` : '';
    throw HarnessRunError.missing('inspect', logDir, `no JSON log was written${hint}`);
  }
  if (logs.length > 1) {
    throw HarnessRunError.missing('inspect', logDir, `expected one log, found ${logs.length} (${logs.join(', ')}): a task file with several tasks needs '#task_name'`);
  }
  return await readInspectLog(join(logDir, logs[0]!), options);
}

/** Items in the order of the dataset's sample ids; any the list lacks keep their order, after the rest. */
function inDatasetOrder<T extends { itemId: string }>(items: T[], sampleIds: readonly (string | number)[] | null | undefined): T[] {
  if (!sampleIds) return items;
  const position = new Map(sampleIds.map((id, i) => [String(id), i]));
  const rank = (item: T): number => position.get(item.itemId) ?? Number.MAX_SAFE_INTEGER;
  return items.map((item, i) => ({ item, i })).sort((a, b) => rank(a.item) - rank(b.item) || a.i - b.i).map(({ item }) => item);
}

function scoreValue(value: unknown, path: string, at: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value in GRADES) return GRADES[value]!;
  throw new HarnessLogError('inspect', path, at, `score value ${JSON.stringify(value)} is not a number, a boolean or one of C, I, P, N`);
}

function issueText(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}
