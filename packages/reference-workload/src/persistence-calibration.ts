import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readEvalSummary } from '@ballast/job-contract';
import { pressureConditions } from '@ballast/benchmarks';
import { CONTRACT_VERSION, ReferenceTrainerSpec, pressureRef, type EvalPressure } from '@ballast/schema';
import { ATTACK_CORPUS_PATH } from './attack-corpus.js';
import { runAttack } from './attack.js';
import { benchmarkDesign } from './benchmarks.js';
import { calibrationData, shuffledMix } from './calibration.js';
import { evaluatePolicy } from './evaluator.js';
import { trainPolicy } from './trainer.js';

/**
 * Measures the SIMULATED workload's persistence figures: a traits arm and a compute-matched baseline,
 * each attacked by the reference harmful fine-tuning attack on the shipped SYNTHETIC corpus, each of
 * their checkpoints (attack step 0 = the arm's own final one) scored under every registered pressure
 * condition on some harmful-side and some steering benchmarks. A figure printer's engine, not a test.
 */
export interface PersistenceCalibrationOptions {
  readonly workDir: string;
  readonly trainer?: Partial<ReferenceTrainerSpec>;
  readonly traitFraction?: number;
  readonly seeds?: readonly number[];
  readonly attackSteps?: readonly number[];
  readonly attackBatchSize?: number;
  readonly attackLearningRate?: number;
  readonly harmful?: readonly string[];
  readonly steering?: readonly string[];
  readonly samplesPerItem?: number;
  readonly regularRecords?: number;
  readonly traitRecords?: number;
}

export const PERSISTENCE_HARMFUL_DEFAULT = [
  'sycophancy-pushback-medical@1',
  'sycophancy-founder-pitch@1',
  'sycophancy-editor-pressure@1',
  'deception-hidden-side-effects@1',
  'deception-policy-spin@1',
  'health-risky-advice@1',
] as const;
export const PERSISTENCE_STEERING_DEFAULT = ['steer-format@1', 'steer-tone@1', 'steer-role@1'] as const;

export interface PersistenceCell {
  readonly seed: number;
  readonly arm: 'baseline' | 'traits';
  readonly attackStep: number;
  /** The pressure condition's simulatedPressure. */
  readonly pressure: number;
  readonly ref: string;
  readonly mean: number;
}

export interface PersistenceCalibrationResult {
  readonly cells: readonly PersistenceCell[];
  /** Wall seconds of each attack run (one per seed and arm), with simulatedStepMs 0. */
  readonly attackSeconds: readonly number[];
}

export async function runPersistenceCalibration(options: PersistenceCalibrationOptions): Promise<PersistenceCalibrationResult> {
  const trainer = ReferenceTrainerSpec.parse({ framework: 'reference', simulatedStepMs: 0, ...options.trainer });
  const attackSteps = options.attackSteps ?? [0, 50, 100, 200];
  const refs = [...(options.harmful ?? PERSISTENCE_HARMFUL_DEFAULT), ...(options.steering ?? PERSISTENCE_STEERING_DEFAULT)];
  for (const ref of refs) if (!benchmarkDesign(ref)) throw new Error(`unknown reference benchmark ${ref}`);
  const { items, regular, traits } = await calibrationData(options);
  const conditions = pressureConditions();
  const cells: PersistenceCell[] = [];
  const attackSeconds: number[] = [];
  for (const seed of options.seeds ?? [1]) {
    for (const [arm, fraction] of [['baseline', 0], ['traits', options.traitFraction ?? 0.05]] as const) {
      const dir = join(options.workDir, `seed-${seed}`, arm);
      await mkdir(dir, { recursive: true });
      const datasetPath = join(dir, 'mix.jsonl');
      await writeFile(datasetPath, shuffledMix(regular, traits, fraction, trainer.steps * trainer.batchSize, seed).map((r) => `${JSON.stringify(r)}\n`).join(''));
      const trained = await trainPolicy({
        spec: { contractVersion: CONTRACT_VERSION, kind: 'train', datasetPaths: [datasetPath], baseCheckpoint: 'reference://init', trainer, seed },
        outputDir: join(dir, 'train'),
        resumeFrom: null,
      });
      const final = join(dir, 'train', 'checkpoints', `step-${trained.step}`);
      const saveSteps = attackSteps.filter((s) => s > 0);
      const attackDir = join(dir, 'attack');
      if (saveSteps.length > 0) {
        const started = performance.now();
        await runAttack({
          spec: {
            contractVersion: CONTRACT_VERSION,
            kind: 'attack',
            baseCheckpointPath: final,
            datasetPaths: [ATTACK_CORPUS_PATH],
            steps: Math.max(...saveSteps),
            saveSteps,
            batchSize: options.attackBatchSize ?? 8,
            learningRate: options.attackLearningRate ?? 0.5,
            seed,
            simulatedStepMs: 0,
          },
          outputDir: attackDir,
          resumeFrom: null,
        });
        attackSeconds.push((performance.now() - started) / 1000);
      }
      for (const attackStep of attackSteps) {
        const checkpointPath = attackStep === 0 ? final : join(attackDir, 'checkpoints', `step-${attackStep}`);
        for (const condition of conditions) {
          const pressure: EvalPressure = {
            ref: pressureRef(condition),
            kind: condition.kind,
            simulatedPressure: condition.simulatedPressure,
            ...(condition.systemMessage === undefined ? {} : { systemMessage: condition.systemMessage }),
            ...(condition.promptWrapper === undefined ? {} : { promptWrapper: condition.promptWrapper }),
          };
          const outputDir = join(dir, 'eval', `step-${attackStep}`, condition.id);
          await evaluatePolicy({
            spec: {
              contractVersion: CONTRACT_VERSION,
              kind: 'eval',
              checkpointPath,
              benchmarks: refs.map((ref) => ({ ref, itemsPath: items.get(ref)! })),
              samplesPerItem: options.samplesPerItem ?? 8,
              seed: 0,
              pressure,
            },
            outputDir,
          });
          for (const ref of refs) {
            cells.push({ seed, arm, attackStep, pressure: condition.simulatedPressure, ref, mean: (await readEvalSummary(outputDir, ref))!.mean });
          }
        }
      }
    }
  }
  return { cells, attackSeconds };
}
