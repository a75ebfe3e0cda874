import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ContractInputError } from '@ballast/job-contract';
import { ReferenceTrainerSpec, benchmarkRef, toFieldIssues } from '@ballast/schema';
import { BEHAVIOURS } from './behaviours.js';
import type { BenchmarkDesign } from './benchmarks.js';
import type { RecordFeatures } from './features.js';
import { behaviourProbs, initialPolicy } from './policy.js';
import { Rng } from './rng.js';
import { SCORING } from './scoring.js';

/**
 * SIMULATED known-truth mode (`trainer.simulatedTruth`, documented on the schema): the true effect of
 * trait data on each benchmark is a parameter, so end-to-end tests know what the statistics should find.
 */
export type SimulatedTruth = NonNullable<ReferenceTrainerSpec['simulatedTruth']>;

/** Written into every checkpoint of a known-truth run, beside params.json. */
export const KNOWN_TRUTH_FILE = 'simulated-truth.json';

/** What a known-truth checkpoint tells the evaluator: the truth, and the run it came from. */
export const KnownTruthRecord = z
  .strictObject({
    format: z.literal('ballast-reference-known-truth'),
    truth: ReferenceTrainerSpec.shape.simulatedTruth.unwrap(),
    /** The training seed (the job spec's `seed`): with `run`, picks the per-benchmark seed shift. */
    seed: z.number().int().min(0),
    /** The run's data: a hash of its dataset files' content (its mix), so two arms trained with one seed on different data do not share a shift, and one spec gives the same shifts in any BALLAST_HOME. */
    run: z.string().max(128),
    /** Cumulative over the whole run up to this checkpoint, resumed attempts included. */
    recordsSeen: z.number().int().positive(),
    traitRecordsSeen: z.number().int().min(0),
    /** traitRecordsSeen / recordsSeen. */
    traitShare: z.number().min(0).max(1),
    simulated: z.literal(true),
  })
  .refine((r) => r.traitRecordsSeen <= r.recordsSeen && r.traitShare === r.traitRecordsSeen / r.recordsSeen, {
    message: 'traitShare must equal traitRecordsSeen / recordsSeen',
    path: ['traitShare'],
  });
export type KnownTruthRecord = z.infer<typeof KnownTruthRecord>;

/** The parts of a known-truth checkpoint that fix its item probabilities. */
export type KnownTruthRun = Pick<KnownTruthRecord, 'truth' | 'seed' | 'traitShare'> & { readonly run?: string };

/**
 * The true effect on benchmark `ref` of training at `traitShare` rather than on no trait records, on
 * the metric's scale and oriented so positive is better (a lower_is_better rate falls by this much).
 * The true difference between two arms is the difference of their values. It leaves out the clamp of
 * the item probability to [0.01, 0.99], which matters only for items whose p0 lies near its ends, and
 * the seed shift, which has mean 0 (see knownTruthShift).
 */
export function knownTruthEffect(truth: SimulatedTruth, ref: string, traitShare: number): number {
  const effect = Object.hasOwn(truth.effects, ref) ? truth.effects[ref]! : truth.defaultEffect;
  return (effect * traitShare) / truth.referenceTraitShare;
}

/**
 * Run-to-run variation: a shift of every item's score probability on benchmark `ref`, drawn from
 * Normal(0, seedSd) by an RNG seeded with (training seed, ref, run), `run` naming the run's data. It is
 * fixed for the whole run (every checkpoint), differs between arms trained with one seed on different
 * data (replicate K of a treatment and of its control), and is shared only by runs with the same data
 * and seed, as identical runs would share it. Not oriented: it moves the raw rate.
 */
export function knownTruthShift(truth: SimulatedTruth, seed: number, ref: string, run = ''): number {
  if (truth.seedSd === 0) return 0;
  return truth.seedSd * Rng.from('known-truth-shift', seed, ref, run).normal();
}

/** The `run` of a known-truth record: the dataset files' content, in order (not their paths, which name the home they lie in). */
export async function dataIdentity(paths: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const path of paths) {
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) hash.update(chunk);
    hash.update('\u0000');
  }
  return hash.digest('hex').slice(0, 32);
}

const INITIAL = initialPolicy();

/** p0: the chance that the initial (untrained) policy's answer to an item counts for the benchmark's metric. */
export function initialScoreProbability(design: BenchmarkDesign, features: RecordFeatures): number {
  const counted: readonly string[] = SCORING[design.metric].behaviours;
  return behaviourProbs(INITIAL, features).reduce((sum, p, i) => (counted.includes(BEHAVIOURS[i]!) ? sum + p : sum), 0);
}

/**
 * The probability with which each of an item's samples counts, for a known-truth checkpoint; the
 * item's expected score:
 * clamp(p0 + sign × knownTruthEffect + knownTruthShift, 0.01, 0.99), sign −1 for lower_is_better.
 */
export function knownTruthProbability(run: KnownTruthRun, design: BenchmarkDesign, features: RecordFeatures): number {
  const ref = benchmarkRef(design.info);
  const sign = design.info.direction === 'lower_is_better' ? -1 : 1;
  const p =
    initialScoreProbability(design, features) +
    sign * knownTruthEffect(run.truth, ref, run.traitShare) +
    knownTruthShift(run.truth, run.seed, ref, run.run);
  return Math.min(0.99, Math.max(0.01, p));
}

/** The known-truth record of a committed checkpoint dir; null for a checkpoint trained without one. */
export async function readKnownTruth(dir: string): Promise<KnownTruthRecord | null> {
  let text: string;
  try {
    text = await readFile(join(dir, KNOWN_TRUTH_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw ContractInputError.badFile(dir, [{ path: KNOWN_TRUTH_FILE, message: `cannot be read: ${(err as Error).message}` }]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw ContractInputError.badFile(join(dir, KNOWN_TRUTH_FILE), [{ path: '(root)', message: 'is not JSON' }]);
  }
  const parsed = KnownTruthRecord.safeParse(json);
  if (!parsed.success) throw ContractInputError.badFile(join(dir, KNOWN_TRUTH_FILE), toFieldIssues(parsed.error.issues));
  return parsed.data;
}
