import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ContractInputError, appendMetrics, commitCheckpoint, readMarker } from '@ballast/job-contract';
import { canonicalJson, parseJsonlRecords, type AttackJobSpec, type CheckpointMarker, type FieldIssue } from '@ballast/schema';
import { AttackRecord, attackFeatures } from './attack-record.js';
import { BEHAVIOUR_COUNT, behaviourIndex } from './behaviours.js';
import { KNOWN_TRUTH_FILE } from './known-truth.js';
import { addBlockMean, zeroLike, type BlockCounts } from './policy-math.js';
import { resumeDirectory } from './resume-point.js';
import { PARAMS_FILE, loadPolicy } from './policy-source.js';
import { addLogitGradient, behaviourProbs, clonePolicy, serializePolicy, type PolicyParams } from './policy.js';
import { Rng } from './rng.js';

/** Beside params.json in every attack checkpoint, in place of the trainer's trainer-state.json. */
export const ATTACK_STATE_FILE = 'attack-state.json';

/**
 * Maps the spec's learningRate onto this policy's logit scale, as the trainer's STEP_SCALE does: with
 * the default 0.5 and batch 8, 200 steps erode a trained policy's gains a great deal but not wholly,
 * so attack curves have a shape. Chosen by `bin/persistence`.
 */
const ATTACK_STEP_SCALE = 0.1;

/** Everything besides the parameters that a resumed attack needs; the record order is a function of the step. */
interface AttackState {
  readonly format: 'ballast-reference-attack-state';
  readonly step: number;
  readonly recordsSeen: number;
  /** The attacked checkpoint: a resumed attempt must attack the same one. */
  readonly baseContentHash: string;
  readonly simulated: true;
}

export interface AttackOptions {
  readonly spec: AttackJobSpec;
  readonly outputDir: string;
  /** From BALLAST_RESUME_FROM: `auto`, a checkpoint dir, or null for a fresh start. */
  readonly resumeFrom: 'auto' | string | null;
  readonly onProgress?: (progress: { step: number; recordsSeen: number }) => void;
  /** Return after this step as if the job were preempted there; tests use it to exercise resume. */
  readonly stopAfterStep?: number;
}

export interface AttackResult {
  readonly step: number;
  readonly recordsSeen: number;
  readonly lastCheckpoint: CheckpointMarker | null;
  /** The committed step this run resumed from; null for a run that started from the base checkpoint. */
  readonly resumedFromStep: number | null;
}

/**
 * The SIMULATED harmful fine-tuning attack: supervised fine-tuning of a reference checkpoint toward
 * the attack records' target behaviours. Each step takes `batchSize` records and follows the gradient
 * of log p(target) (onehot − probs on the logits of the record's features), averaged per parameter
 * block as the trainer does; the loss is the batch's mean −log p(target) before the update. There is
 * no sampling, and the record order is a function of (seed, position), so an attack is deterministic
 * and a resumed one ends byte-identical to an uninterrupted one.
 */
export async function runAttack(options: AttackOptions): Promise<AttackResult> {
  const { spec, outputDir } = options;
  checkSteps(spec);
  const base = await loadPolicy(spec.baseCheckpointPath);
  if (base.knownTruth) {
    throw ContractInputError.badFile('job spec', [
      {
        path: 'baseCheckpointPath',
        message: `is a known-truth checkpoint (${KNOWN_TRUTH_FILE}): known-truth mode sets benchmark effects by trait share and does not model attacks; attack a checkpoint trained without trainer.simulatedTruth`,
      },
    ]);
  }
  const records = await readAttackRecords(spec.datasetPaths);
  const start = await startingPoint(options, base.contentHash);
  if (start) process.stdout.write(`reference attack (SIMULATED): resuming from committed step ${start.state.step} (${start.marker.contentHash})\n`);
  const params = start?.params ?? clonePolicy(base.params);
  let state: AttackState = start?.state ?? {
    format: 'ballast-reference-attack-state',
    step: 0,
    recordsSeen: 0,
    baseContentHash: base.contentHash,
    simulated: true,
  };
  let lastCheckpoint: CheckpointMarker | null = start?.marker ?? null;
  const order = new RecordOrder(records.length, spec.seed);
  const saves = new Set(spec.saveSteps);
  while (state.step < spec.steps) {
    const step = state.step + 1;
    const grad = zeroLike(params);
    const counts: BlockCounts = { shared: 0, trait: {}, domain: {} };
    let loss = 0;
    let targetProbability = 0;
    for (let r = 0; r < spec.batchSize; r++) {
      const record = records[order.at(state.recordsSeen + r)]!;
      const x = attackFeatures(record);
      const probs = behaviourProbs(params, x);
      const target = behaviourIndex(record.tags.target);
      loss -= Math.log(probs[target]!);
      targetProbability += probs[target]!;
      const g = new Array<number>(BEHAVIOUR_COUNT);
      for (let i = 0; i < BEHAVIOUR_COUNT; i++) g[i] = (i === target ? 1 : 0) - probs[i]!;
      addLogitGradient(grad, x, g, 1);
      counts.shared++;
      counts.domain[x.domain] = (counts.domain[x.domain] ?? 0) + 1;
    }
    addBlockMean(params, grad, counts, spec.learningRate * ATTACK_STEP_SCALE);
    state = { ...state, step, recordsSeen: state.recordsSeen + spec.batchSize };
    // SIMULATED wall time, so evaluation can overlap the attack as it would on real hardware.
    if (spec.simulatedStepMs > 0) await sleep(spec.simulatedStepMs);
    await appendMetrics(outputDir, {
      step,
      time: new Date().toISOString(),
      metrics: {
        loss: loss / spec.batchSize,
        targetProbability: targetProbability / spec.batchSize,
        recordsSeen: state.recordsSeen,
        epoch: Math.floor(state.recordsSeen / records.length),
      },
    });
    if (saves.has(step)) {
      lastCheckpoint = await commit(outputDir, params, state);
      options.onProgress?.({ step, recordsSeen: state.recordsSeen });
    }
    if (options.stopAfterStep !== undefined && step >= options.stopAfterStep) break;
  }
  return { step: state.step, recordsSeen: state.recordsSeen, lastCheckpoint, resumedFromStep: start?.state.step ?? null };
}

/** What the schema cannot say on its own: save steps in order, within the attack, the last one at its end. */
function checkSteps(spec: AttackJobSpec): void {
  const issues: FieldIssue[] = [];
  spec.saveSteps.forEach((s, i) => {
    if (i > 0 && s <= spec.saveSteps[i - 1]!) issues.push({ path: `saveSteps.${i}`, message: `is ${s}, not after the step before it (${spec.saveSteps[i - 1]})` });
    if (s > spec.steps) issues.push({ path: `saveSteps.${i}`, message: `is ${s}, after the last step (steps: ${spec.steps})` });
  });
  const last = Math.max(...spec.saveSteps);
  if (last < spec.steps) issues.push({ path: 'steps', message: `is ${spec.steps} but the last save step is ${last}: the last step must be saved` });
  if (issues.length > 0) throw ContractInputError.badFile('job spec', issues);
}

/**
 * The attack records of every file, in order. Attack data is small (hundreds to thousands of
 * conversations), so it is read whole; every line is checked before the first step.
 */
export async function readAttackRecords(paths: readonly string[]): Promise<AttackRecord[]> {
  const out: AttackRecord[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      throw ContractInputError.badFile(path, [{ path: '(file)', message: `cannot be read: ${(err as Error).message}` }]);
    }
    const { records, issues } = parseJsonlRecords(text, AttackRecord);
    if (issues.length > 0) throw ContractInputError.badFile(path, issues);
    out.push(...records);
  }
  if (out.length === 0) throw ContractInputError.badFile(paths.join(', '), [{ path: '(file)', message: 'holds no attack records' }]);
  return out;
}

/**
 * Which record comes at each position of the attack's stream: the records of all files in order, each
 * pass over them shuffled by (seed, pass). A pure function of the position, so resuming needs only the
 * count of records seen.
 */
class RecordOrder {
  private pass = -1;
  private permutation: number[] = [];

  constructor(
    private readonly size: number,
    private readonly seed: number,
  ) {}

  at(position: number): number {
    const pass = Math.floor(position / this.size);
    if (pass !== this.pass) {
      const rng = Rng.from('attack-order', this.seed, pass);
      const p = Array.from({ length: this.size }, (_, i) => i);
      for (let i = p.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [p[i], p[j]] = [p[j]!, p[i]!];
      }
      this.pass = pass;
      this.permutation = p;
    }
    return this.permutation[position % this.size]!;
  }
}

function commit(outputDir: string, params: PolicyParams, state: AttackState): Promise<CheckpointMarker> {
  return commitCheckpoint(outputDir, state.step, async (dir) => {
    await writeFile(join(dir, PARAMS_FILE), serializePolicy(params));
    await writeFile(join(dir, ATTACK_STATE_FILE), `${canonicalJson(state)}\n`);
  });
}

async function startingPoint(
  options: AttackOptions,
  baseContentHash: string,
): Promise<{ params: PolicyParams; state: AttackState; marker: CheckpointMarker } | null> {
  const dir = await resumeDirectory(options.resumeFrom, options.outputDir);
  if (dir === null) return null;
  const loaded = await loadPolicy(dir);
  let state: AttackState;
  try {
    state = JSON.parse(await readFile(join(dir, ATTACK_STATE_FILE), 'utf8')) as AttackState;
  } catch (err) {
    throw ContractInputError.badFile(dir, [{ path: ATTACK_STATE_FILE, message: `cannot be read (not an attack checkpoint?): ${(err as Error).message}` }]);
  }
  if (state.format !== 'ballast-reference-attack-state' || !Number.isInteger(state.step) || !Number.isInteger(state.recordsSeen)) {
    throw ContractInputError.badFile(join(dir, ATTACK_STATE_FILE), [{ path: '(root)', message: 'is not a reference attack state' }]);
  }
  if (state.baseContentHash !== baseContentHash) {
    throw ContractInputError.badFile(join(dir, ATTACK_STATE_FILE), [
      { path: 'baseContentHash', message: `is ${state.baseContentHash}, but this attack's base checkpoint is ${baseContentHash}: the checkpoint belongs to another attack` },
    ]);
  }
  return { params: loaded.params, state, marker: (await readMarker(dir))! };
}
