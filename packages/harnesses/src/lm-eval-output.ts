import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { HarnessLogError, HarnessRunError } from './errors.js';
import { clusterOf, itemsFromSamples, summarizeItems, type HarnessScores, type ScoredSample } from './scores.js';

/** The parts of lm-eval's `results_<ts>.json` this adapter reads. */
const Results = z.looseObject({
  results: z.record(z.string(), z.record(z.string(), z.unknown())),
  'n-samples': z.record(z.string(), z.looseObject({ effective: z.number().int().nonnegative().optional() })).optional(),
  lm_eval_version: z.string().min(1),
});

/** One line of `samples_<task>_<ts>.jsonl` (written with `--log_samples`); the metric is a field named after it. */
const SampleLine = z.looseObject({
  doc_id: z.number().int().nonnegative(),
  filter: z.string().optional(),
  doc: z.record(z.string(), z.unknown()).optional(),
});

export interface LmEvalOutputOptions {
  readonly task: string;
  /** The metric key in lm-eval's results (`acc`, `exact_match`, …). */
  readonly metricKey: string;
  /** The filter the metric was computed under (`none` unless the task defines filters). */
  readonly filter: string;
}

const RESULTS_FILE = /^results_(.+)\.json$/;

/**
 * Reads what lm-eval wrote under `outputPath` (`--output_path`): the newest
 * `<model_name_sanitized>/results_<ts>.json` and, beside it, `samples_<task>_<ts>.jsonl`. Items are the
 * `doc_id`s in order (stable across arms: the document's position in the task's split). lm-eval scores each doc
 * once: with a task's `repeats`, the extra responses are reduced by the task's filters (the default
 * keeps the first) before the metric, so `samplesPerItem` is the number of metric values per doc: 1.
 * A doc field `cluster` (or `conversation_id`) becomes the item's cluster.
 *
 * @throws HarnessRunError when the results or samples file, the task or its metric is missing
 * @throws HarnessLogError when a sample line's metric value is not a number (naming the line and doc)
 */
export async function readLmEvalOutput(outputPath: string, options: LmEvalOutputOptions): Promise<HarnessScores> {
  const { task, metricKey, filter } = options;
  const found = await newestResults(outputPath);
  if (found === null) {
    throw HarnessRunError.missing('lm-eval', outputPath, 'no results_<timestamp>.json (lm-eval writes <output_path>/<model>/results_<timestamp>.json when a run finishes)');
  }
  const resultsPath = join(found.dir, found.name);
  const results = await readResults(resultsPath);
  const taskResults = results.results[task];
  if (taskResults === undefined) {
    throw HarnessRunError.missing('lm-eval', resultsPath, `task '${task}' is not in its results (it has: ${Object.keys(results.results).join(', ') || 'none'})`);
  }
  const key = `${metricKey},${filter}`;
  if (typeof taskResults[key] !== 'number') {
    const metrics = Object.keys(taskResults).filter((k) => k.includes(',') && !k.includes('_stderr,'));
    throw HarnessRunError.missing('lm-eval', resultsPath, `task '${task}' has no metric '${key}' (it has: ${metrics.join(', ') || 'none'})`);
  }

  const samplesName = `samples_${task}_${found.stamp}.jsonl`;
  const samplesPath = join(found.dir, samplesName);
  let text: string;
  try {
    text = await readFile(samplesPath, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    throw HarnessRunError.missing('lm-eval', found.dir, `no ${samplesName} beside ${found.name} (lm-eval writes it only with --log_samples)`);
  }

  const scored: ScoredSample[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const at = `line ${index + 1}`;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (err) {
      throw new HarnessLogError('lm-eval', samplesPath, at, `is not JSON: ${(err as Error).message}`);
    }
    const parsed = SampleLine.safeParse(json);
    if (!parsed.success) throw new HarnessLogError('lm-eval', samplesPath, at, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const sample = parsed.data;
    // A task with several filters logs one line per doc and filter.
    if ((sample.filter ?? 'none') !== filter) return;
    const value = metricValue((sample as Record<string, unknown>)[metricKey]);
    if (value === null) {
      throw new HarnessLogError('lm-eval', samplesPath, `${at} (doc_id ${sample.doc_id})`, `field '${metricKey}' is ${JSON.stringify((sample as Record<string, unknown>)[metricKey]) ?? 'missing'}, not a number`);
    }
    const cluster = clusterOf(sample.doc?.['cluster']) ?? clusterOf(sample.doc?.['conversation_id']);
    scored.push({ itemId: String(sample.doc_id), value, ...(cluster === undefined ? {} : { cluster }) });
  });
  if (scored.length === 0) throw HarnessRunError.missing('lm-eval', samplesPath, `no sample line has filter '${filter}'`);

  const { items: seen, samplesPerItem } = itemsFromSamples(scored);
  // In doc order whatever order the lines came in, so every arm lists its items alike.
  const items = seen.sort((a, b) => Number(a.itemId) - Number(b.itemId));
  const counts = new Set(samplesPerItem.values());
  if (counts.size !== 1) throw new HarnessLogError('lm-eval', samplesPath, '(file)', `docs have different numbers of lines (${[...counts].sort().join(', ')}) for filter '${filter}'`);
  const effective = results['n-samples']?.[task]?.effective;
  if (effective !== undefined && effective !== items.length) {
    throw new HarnessLogError('lm-eval', samplesPath, '(file)', `holds ${items.length} docs, but ${found.name} says ${effective} were evaluated`);
  }
  return {
    harness: { kind: 'lm-eval', version: results.lm_eval_version },
    items,
    samplesPerItem: [...counts][0]!,
    ...summarizeItems(items),
    scoredBy: key,
    sources: [resultsPath, samplesPath],
  };
}

/** The newest results file under `outputPath` or one level below (lm-eval puts it in a per-model directory). */
async function newestResults(outputPath: string): Promise<{ dir: string; name: string; stamp: string } | null> {
  const candidates: { dir: string; name: string; stamp: string }[] = [];
  const scan = async (dir: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const entry of entries) {
      const match = RESULTS_FILE.exec(entry.name);
      if (entry.isFile() && match) candidates.push({ dir, name: entry.name, stamp: match[1]! });
      else if (entry.isDirectory() && depth > 0) await scan(join(dir, entry.name), depth - 1);
    }
  };
  await scan(outputPath, 1);
  // The stamp is an ISO-like date-time, so the newest sorts last.
  candidates.sort((a, b) => (a.stamp < b.stamp ? -1 : a.stamp > b.stamp ? 1 : 0));
  return candidates.at(-1) ?? null;
}

async function readResults(path: string): Promise<z.infer<typeof Results>> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new HarnessLogError('lm-eval', path, '(file)', `cannot be read as JSON: ${(err as Error).message}`);
  }
  const parsed = Results.safeParse(json);
  if (!parsed.success) throw new HarnessLogError('lm-eval', path, '(file)', `is not an lm-eval results file: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

function metricValue(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return null;
}
