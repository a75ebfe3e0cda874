import { setTimeout as sleep } from 'node:timers/promises';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ContractInputError,
  appendMetrics,
  commitCheckpoint,
  readMarker,
} from '@ballast/job-contract';
import { canonicalJson, type CheckpointMarker, type TrainJobSpec } from '@ballast/schema';
import { BEHAVIOURS, BEHAVIOUR_COUNT } from './behaviours.js';
import { benchmarkDesign } from './benchmarks.js';
import { DatasetCursor, type CursorPosition } from './dataset-cursor.js';
import { featuresOf, type RecordFeatures } from './features.js';
import { reward } from './grader.js';
import { dataIdentity, KNOWN_TRUTH_FILE, type KnownTruthRecord, type SimulatedTruth } from './known-truth.js';
import { addBlockMean, klAndGradient, zeroLike, type BlockCounts } from './policy-math.js';
import { resumeDirectory } from './resume-point.js';
import { PARAMS_FILE, TRAINER_STATE_FILE, loadPolicy } from './policy-source.js';
import { addLogitGradient, behaviourProbs, clonePolicy, serializePolicy, type PolicyParams } from './policy.js';
import { Rng, type RngState } from './rng.js';
import { countReferenceTokens } from './tokens.js';

/**
 * Maps the spec's learningRate onto this policy's logit scale: with the schema default (0.5), 200 steps
 * shift behaviour clearly without collapsing it onto one behaviour. Chosen by `bin/calibrate`.
 */
const STEP_SCALE = 0.2;

/** Everything besides the parameters that a resumed run needs to continue exactly where this one was. */
interface TrainerState {
  readonly format: 'ballast-reference-trainer-state';
  readonly step: number;
  readonly recordsSeen: number;
  /**
   * Reference tokens (countReferenceTokens) of every record trained on, for compute matching; null
   * (unknown) for a run resumed from a checkpoint written before tokens were counted.
   */
  readonly tokensSeen: number | null;
  /** Records tagged `kind: trait` among recordsSeen; known-truth mode scales the true effect by their share. */
  readonly traitRecordsSeen: number;
  readonly cursor: CursorPosition;
  readonly rng: RngState;
  /** REINFORCE's running reward baseline (unused by GRPO). */
  readonly baseline: number;
  readonly simulated: true;
}

export interface TrainOptions {
  readonly spec: TrainJobSpec;
  readonly outputDir: string;
  /** From BALLAST_RESUME_FROM: `auto`, a checkpoint dir, or null for a fresh start. */
  readonly resumeFrom: 'auto' | string | null;
  readonly onProgress?: (progress: { step: number; recordsSeen: number; tokensSeen: number | null }) => void;
  /** Return after this step as if the job were preempted there; tests use it to exercise resume. */
  readonly stopAfterStep?: number;
}

export interface TrainResult {
  readonly step: number;
  readonly recordsSeen: number;
  /** Cumulative reference tokens (countReferenceTokens) of the records trained on, resumed attempts included; null when unknown. */
  readonly tokensSeen: number | null;
  readonly lastCheckpoint: CheckpointMarker | null;
  /** The committed step this run resumed from; null for a run that started from the base. */
  readonly resumedFromStep: number | null;
}

/**
 * The SIMULATED RL trainer: policy gradient on the parametric policy with GRPO group-normalised
 * advantages (or REINFORCE with a running baseline) and a KL penalty toward the base policy.
 */
export async function trainPolicy(options: TrainOptions): Promise<TrainResult> {
  const { spec, outputDir } = options;
  const t = spec.trainer;
  if (t.framework !== 'reference') {
    throw ContractInputError.badFile('job spec', [{ path: 'trainer.framework', message: `is '${t.framework}'; this program is the SIMULATED reference trainer` }]);
  }
  if (t.simulatedTruth) checkTruthRefs(t.simulatedTruth);
  const base = (await loadPolicy(spec.baseCheckpoint)).params;
  const start = await startingPoint(options);
  if (start) process.stdout.write(`reference trainer (SIMULATED): resuming from committed step ${start.state.step} (${start.marker.contentHash})\n`);
  // The base stays untouched as the KL reference; training moves a copy.
  const params = start?.params ?? clonePolicy(base);
  let state: TrainerState = start?.state ?? {
    format: 'ballast-reference-trainer-state',
    step: 0,
    recordsSeen: 0,
    tokensSeen: 0,
    traitRecordsSeen: 0,
    cursor: { shard: 0, offset: 0, epoch: 0 },
    rng: Rng.from('trainer', spec.seed).state(),
    baseline: 0,
    simulated: true,
  };
  let lastCheckpoint: CheckpointMarker | null = start?.marker ?? null;
  const rng = Rng.restore(state.rng);
  const cursor = await DatasetCursor.open(spec.datasetPaths, state.cursor);
  // The run's data by content, not by where it lies: the same spec gives the same shifts in any home.
  const run = t.simulatedTruth ? await dataIdentity(spec.datasetPaths) : '';
  try {
    while (state.step < t.steps) {
      const step = state.step + 1;
      const grad = zeroLike(params);
      const counts: BlockCounts = { shared: 0, trait: {}, domain: {} };
      const stats = { reward: 0, kl: 0, trait: 0, tokens: 0, counts: new Array<number>(BEHAVIOUR_COUNT).fill(0) };
      for (let r = 0; r < t.batchSize; r++) {
        const record = await cursor.next();
        let x: RecordFeatures;
        try {
          x = featuresOf(record);
        } catch (err) {
          throw ContractInputError.badFile(spec.datasetPaths.join(', '), [{ path: `${record.id}.tags`, message: (err as Error).message }]);
        }
        const probs = behaviourProbs(params, x);
        const sampled = Array.from({ length: t.groupSize }, () => rng.weighted(probs));
        const rewards = sampled.map((b) => reward(x, BEHAVIOURS[b]!));
        const advantages = t.algorithm === 'grpo' ? groupNormalised(rewards) : rewards.map((v) => v - state.baseline);
        const g = new Array<number>(BEHAVIOUR_COUNT).fill(0);
        sampled.forEach((b, k) => {
          for (let i = 0; i < BEHAVIOUR_COUNT; i++) g[i]! += (advantages[k]! * ((i === b ? 1 : 0) - probs[i]!)) / t.groupSize;
          stats.counts[b]!++;
        });
        const kl = klAndGradient(probs, behaviourProbs(base, x));
        for (let i = 0; i < BEHAVIOUR_COUNT; i++) g[i]! -= t.klCoef * kl.grad[i]!;
        addLogitGradient(grad, x, g, 1);
        counts.shared++;
        if (x.trait !== null) counts.trait[x.trait] = (counts.trait[x.trait] ?? 0) + 1;
        counts.domain[x.domain] = (counts.domain[x.domain] ?? 0) + 1;
        stats.reward += rewards.reduce((a, b) => a + b, 0) / t.groupSize;
        stats.kl += kl.kl;
        stats.tokens += countReferenceTokens(record);
        if (x.kind === 'trait') stats.trait++;
      }
      addBlockMean(params, grad, counts, t.learningRate * STEP_SCALE);
      const meanReward = stats.reward / t.batchSize;
      state = {
        ...state,
        step,
        recordsSeen: state.recordsSeen + t.batchSize,
        tokensSeen: state.tokensSeen === null ? null : state.tokensSeen + stats.tokens,
        traitRecordsSeen: state.traitRecordsSeen + stats.trait,
        cursor: cursor.position(),
        rng: rng.state(),
        baseline: state.step === 0 ? meanReward : 0.9 * state.baseline + 0.1 * meanReward,
      };
      // SIMULATED wall time, so evaluation can overlap training as it would on real hardware.
      if (t.simulatedStepMs > 0) await sleep(t.simulatedStepMs);
      await appendMetrics(outputDir, {
        step,
        time: new Date().toISOString(),
        metrics: {
          reward: meanReward,
          kl: stats.kl / t.batchSize,
          recordsSeen: state.recordsSeen,
          ...(state.tokensSeen === null ? {} : { tokensSeen: state.tokensSeen }),
          epoch: state.cursor.epoch,
          traitRecordShare: stats.trait / t.batchSize,
          ...Object.fromEntries(BEHAVIOURS.map((b, i) => [`rate_${b}`, stats.counts[i]! / (t.batchSize * t.groupSize)])),
        },
      });
      if (step % t.saveEvery === 0 || step === t.steps) {
        const truth = t.simulatedTruth ? knownTruthRecord(t.simulatedTruth, spec.seed, run, state) : null;
        lastCheckpoint = await commit(outputDir, params, state, truth);
        options.onProgress?.({ step, recordsSeen: state.recordsSeen, tokensSeen: state.tokensSeen });
      }
      if (options.stopAfterStep !== undefined && step >= options.stopAfterStep) break;
      // SIMULATED fault, for tests and drills: a run that did not resume from a checkpoint fails here.
      if (t.simulatedFailAtStep === step && !start) {
        throw new Error(`SIMULATED failure at step ${step} (trainer.simulatedFailAtStep); a run resumed from a checkpoint goes on`);
      }
    }
  } finally {
    await cursor.close();
  }
  return {
    step: state.step,
    recordsSeen: state.recordsSeen,
    tokensSeen: state.tokensSeen,
    lastCheckpoint,
    resumedFromStep: start?.state.step ?? null,
  };
}

/** A ref the suite does not hold would silently get `defaultEffect`; a typo must be bad input instead. */
function checkTruthRefs(truth: SimulatedTruth): void {
  const unknown = Object.keys(truth.effects).filter((ref) => benchmarkDesign(ref) === undefined);
  if (unknown.length > 0) {
    throw ContractInputError.badFile(
      'job spec',
      unknown.map((ref) => ({ path: `trainer.simulatedTruth.effects.${ref}`, message: 'is not a benchmark of the SIMULATED reference suite' })),
    );
  }
}

/** SIMULATED known-truth mode: what the evaluator needs to score this checkpoint by the given truth. */
function knownTruthRecord(truth: SimulatedTruth, seed: number, run: string, state: TrainerState): KnownTruthRecord {
  return {
    format: 'ballast-reference-known-truth',
    truth,
    seed,
    run,
    recordsSeen: state.recordsSeen,
    traitRecordsSeen: state.traitRecordsSeen,
    traitShare: state.traitRecordsSeen / state.recordsSeen,
    simulated: true,
  };
}

/** GRPO: advantage = (reward - group mean) / group std; a group with equal rewards teaches nothing. */
function groupNormalised(rewards: readonly number[]): number[] {
  const mean = rewards.reduce((a, b) => a + b, 0) / rewards.length;
  const std = Math.sqrt(rewards.reduce((a, b) => a + (b - mean) ** 2, 0) / rewards.length);
  return rewards.map((v) => (std < 1e-9 ? 0 : (v - mean) / std));
}

function commit(outputDir: string, params: PolicyParams, state: TrainerState, truth: KnownTruthRecord | null): Promise<CheckpointMarker> {
  return commitCheckpoint(outputDir, state.step, async (dir) => {
    await writeFile(join(dir, PARAMS_FILE), serializePolicy(params));
    await writeFile(join(dir, TRAINER_STATE_FILE), `${JSON.stringify(state)}\n`);
    if (truth) await writeFile(join(dir, KNOWN_TRUTH_FILE), `${canonicalJson(truth)}\n`);
  });
}

async function startingPoint(
  options: TrainOptions,
): Promise<{ params: PolicyParams; state: TrainerState; marker: CheckpointMarker } | null> {
  const dir = await resumeDirectory(options.resumeFrom, options.outputDir);
  if (dir === null) return null;
  const loaded = await loadPolicy(dir);
  let state: TrainerState;
  try {
    state = JSON.parse(await readFile(join(dir, TRAINER_STATE_FILE), 'utf8')) as TrainerState;
  } catch (err) {
    throw ContractInputError.badFile(dir, [{ path: TRAINER_STATE_FILE, message: `cannot be read: ${(err as Error).message}` }]);
  }
  // Checkpoints written before tokens and trait records were counted: a run resumed from one goes on
  // with its token count unknown (the report then shows tokens as unknown) unless it is in known-truth
  // mode, whose true effect needs the exact trait share and so cannot go on.
  if (!Number.isInteger(state.tokensSeen)) state = { ...state, tokensSeen: null };
  if (!Number.isInteger(state.traitRecordsSeen)) {
    if (options.spec.trainer.framework === 'reference' && options.spec.trainer.simulatedTruth) {
      throw ContractInputError.badFile(join(dir, TRAINER_STATE_FILE), [
        { path: 'traitRecordsSeen', message: 'is missing: the checkpoint was written by an older reference trainer, and known-truth mode needs the exact trait share; start the run afresh' },
      ]);
    }
    state = { ...state, traitRecordsSeen: 0 };
  }
  const marker = (await readMarker(dir))!;
  return { params: loaded.params, state, marker };
}
