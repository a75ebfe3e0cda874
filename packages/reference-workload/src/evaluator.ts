import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { ContractInputError, writeEvalResult } from '@ballast/job-contract';
import { CONTRACT_VERSION, toFieldIssues, type EvalItemResult, type EvalJobSpec } from '@ballast/schema';
import { BEHAVIOURS } from './behaviours.js';
import { BenchmarkItem } from './benchmark-items.js';
import { benchmarkDesign, type BenchmarkDesign } from './benchmarks.js';
import type { RecordFeatures } from './features.js';
import { knownTruthProbability } from './known-truth.js';
import { loadPolicy } from './policy-source.js';
import { behaviourProbs, type PolicyParams } from './policy.js';
import { Rng } from './rng.js';
import { SCORING } from './scoring.js';

export interface EvaluateOptions {
  readonly spec: EvalJobSpec;
  readonly outputDir: string;
  readonly onProgress?: (progress: { benchmarks: number }) => void;
}

/**
 * The SIMULATED evaluator: scores one checkpoint on every listed benchmark. Sampling is seeded by
 * (eval seed, checkpoint content hash, item id): an eval is reproducible, and two arms never share
 * sampling noise by accident. A checkpoint trained in known-truth mode (`trainer.simulatedTruth`) is
 * scored by the truth it records, not by its parameters (see knownTruthProbability).
 *
 * Adversarial pressure (`spec.pressure`) adds `simulatedPressure` to every item's pressure feature
 * (see pressuredFeatures). The pressure is not part of the sampling seed: an item is sampled with the
 * same random stream at every pressure level (common random numbers), so a pressure curve's points
 * differ by the pressure's effect, not by fresh sampling noise.
 */
export async function evaluatePolicy(options: EvaluateOptions): Promise<{ benchmarks: number }> {
  const { spec, outputDir } = options;
  // Check every input before scoring anything, so bad input fails fast and writes no partial results.
  const designs = await Promise.all(
    spec.benchmarks.map(async (b, i) => {
      const design = benchmarkDesign(b.ref);
      if (design === undefined) {
        throw ContractInputError.badFile(spec.benchmarks[i]!.ref, [{ path: `benchmarks.${i}.ref`, message: `unknown benchmark '${b.ref}'` }]);
      }
      try {
        await access(b.itemsPath);
      } catch {
        throw ContractInputError.badFile(b.itemsPath, [{ path: `benchmarks.${i}.itemsPath`, message: 'cannot be read' }]);
      }
      return design;
    }),
  );
  const policy = await loadPolicy(spec.checkpointPath);
  const truth = policy.knownTruth;
  if (truth) {
    process.stdout.write(`reference evaluator (SIMULATED): known-truth mode, trait share ${truth.traitShare}, training seed ${truth.seed}\n`);
  }
  const added = spec.pressure?.simulatedPressure ?? 0;
  if (spec.pressure) process.stdout.write(`reference evaluator (SIMULATED): pressure ${spec.pressure.ref}, +${added} on every item's pressure\n`);
  let done = 0;
  for (const [i, input] of spec.benchmarks.entries()) {
    const design = designs[i]!;
    const items: EvalItemResult[] = [];
    for await (const item of readItems(input.itemsPath, input.ref)) {
      const rng = Rng.from('eval', spec.seed, policy.contentHash, item.id);
      const features = pressuredFeatures(item.features, added);
      // Known-truth mode: p0 is the initial policy's probability at the pressured features, so pressure
      // moves every arm's items alike and the set effects stay what the spec says (pressure does not
      // interact with trait training in this mode).
      const score = truth
        ? scoreBernoulli(knownTruthProbability(truth, design, features), spec.samplesPerItem, rng)
        : scoreItem(policy.params, design, features, spec.samplesPerItem, rng);
      items.push({ itemId: item.id, score, cluster: item.conversationId });
    }
    const n = items.length;
    const mean = n === 0 ? 0 : items.reduce((s, it) => s + it.score, 0) / n;
    // Plain item-level standard error; clustered errors are the report's job, it has the clusters.
    const variance = n < 2 ? 0 : items.reduce((s, it) => s + (it.score - mean) ** 2, 0) / (n - 1);
    await writeEvalResult(outputDir, input.ref, items, {
      contractVersion: CONTRACT_VERSION,
      benchmark: design.info.id,
      version: design.info.version,
      category: design.info.category,
      metric: design.info.metric,
      direction: design.info.direction,
      n,
      mean,
      stderr: Math.sqrt(variance / Math.max(n, 1)),
      simulated: true,
    });
    done++;
    options.onProgress?.({ benchmarks: done });
  }
  return { benchmarks: done };
}

/**
 * An item's features under adversarial pressure: `added` on top of the item's own pressure. Not clamped
 * to 1: the policy is linear in pressure and its softmax keeps every probability valid beyond 1, while
 * a clamp would flatten the curve of every item whose own pressure is already near 1 (most items of the
 * benchmarks whose users push hardest), so that the two strongest conditions would score them alike.
 */
export function pressuredFeatures(features: RecordFeatures, added: number): RecordFeatures {
  return added === 0 ? features : { ...features, pressure: features.pressure + added };
}

/** Share of `samples` draws, at an item's (pressured) features, that land in the metric's behaviour set. */
export function scoreItem(params: PolicyParams, design: BenchmarkDesign, features: RecordFeatures, samples: number, rng: Rng): number {
  const counted: readonly string[] = SCORING[design.metric].behaviours;
  const probs = behaviourProbs(params, features);
  let hits = 0;
  for (let s = 0; s < samples; s++) if (counted.includes(BEHAVIOURS[rng.weighted(probs)]!)) hits++;
  return hits / samples;
}

/** Share of `samples` Bernoulli(p) draws that succeed: a known-truth item score. */
function scoreBernoulli(p: number, samples: number, rng: Rng): number {
  let hits = 0;
  for (let s = 0; s < samples; s++) if (rng.float() < p) hits++;
  return hits / samples;
}

async function* readItems(path: string, ref: string): AsyncGenerator<BenchmarkItem> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw ContractInputError.badFile(path, [{ path: `(line ${lineNo})`, message: 'is not JSON' }]);
    }
    const parsed = BenchmarkItem.safeParse(json);
    if (!parsed.success) throw ContractInputError.badFile(path, toFieldIssues(parsed.error.issues, [`(line ${lineNo})`]));
    if (parsed.data.benchmark !== ref) {
      throw ContractInputError.badFile(path, [{ path: `(line ${lineNo}).benchmark`, message: `is '${parsed.data.benchmark}', expected '${ref}'` }]);
    }
    yield parsed.data;
  }
}
