import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CONTRACT_FILES,
  EvalItemResult,
  EvalSummary,
  evalItemsFileName,
  evalSummaryFileName,
} from '@ballast/schema';
import { writeFileAtomic } from './atomic-write.js';
import { readJsonlLines } from './jsonl.js';

const SUMMARY_SUFFIX = evalSummaryFileName('');

function evalDir(outputDir: string): string {
  return join(outputDir, CONTRACT_FILES.evalDir);
}

/**
 * Writes one benchmark's results. Items go first and the summary last, so a summary on disk means its
 * items file is complete: the summary is this benchmark's completion marker.
 */
export async function writeEvalResult(
  outputDir: string,
  ref: string,
  items: readonly EvalItemResult[],
  summary: EvalSummary,
): Promise<void> {
  const validItems = items.map((i) => EvalItemResult.parse(i));
  const validSummary = EvalSummary.parse(summary);
  if (validSummary.n !== validItems.length) {
    throw new Error(`summary.n is ${validSummary.n} but ${validItems.length} items were given for ${ref}`);
  }
  const dir = evalDir(outputDir);
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, evalItemsFileName(ref)), validItems.map((i) => `${JSON.stringify(i)}\n`).join(''));
  await writeFileAtomic(join(dir, evalSummaryFileName(ref)), `${JSON.stringify(validSummary)}\n`);
}

export async function readEvalSummary(outputDir: string, ref: string): Promise<EvalSummary | null> {
  let text: string;
  try {
    text = await readFile(join(evalDir(outputDir), evalSummaryFileName(ref)), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  return EvalSummary.parse(JSON.parse(text));
}

export async function readEvalItems(outputDir: string, ref: string): Promise<EvalItemResult[]> {
  const lines = await readJsonlLines(join(evalDir(outputDir), evalItemsFileName(ref)));
  return lines.map((l) => EvalItemResult.parse(l));
}

/** Every benchmark with a summary in OUTPUT/eval, sorted by ref. */
export async function listEvalSummaries(outputDir: string): Promise<{ ref: string; summary: EvalSummary }[]> {
  let names: string[];
  try {
    names = await readdir(evalDir(outputDir));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: { ref: string; summary: EvalSummary }[] = [];
  for (const name of names.filter((n) => n.endsWith(SUMMARY_SUFFIX)).sort()) {
    const ref = name.slice(0, -SUMMARY_SUFFIX.length);
    const summary = await readEvalSummary(outputDir, ref);
    if (summary !== null) out.push({ ref, summary });
  }
  return out;
}
