import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readEvalItems } from '@ballast/job-contract';
import { CONTRACT_VERSION, ReferenceTrainerSpec, benchmarkRef, type ConversationRecord } from '@ballast/schema';
import { BENCHMARK_DESIGNS } from './benchmarks.js';
import { writeBenchmarkItems } from './benchmark-items.js';
import { generateReferenceCorpora } from './corpora.js';
import { evaluatePolicy } from './evaluator.js';
import { Rng } from './rng.js';
import { trainPolicy } from './trainer.js';

/**
 * Checks that the SIMULATED workload shows the effect the demo is about: a traits arm (5% trait
 * records) against a compute-matched baseline, and a baseline against itself with another seed. Uses
 * a plain paired 95% CI per benchmark; the reporting package does the real statistics.
 */
export interface CalibrationOptions {
  readonly workDir: string;
  readonly trainer?: Partial<ReferenceTrainerSpec>;
  readonly traitFraction?: number;
  readonly samplesPerItem?: number;
  readonly regularRecords?: number;
  readonly traitRecords?: number;
  readonly seeds?: readonly [number, number];
}

export interface Comparison {
  /** Safety benchmarks (not helpfulness or capability) whose paired CI lies wholly above / below zero. */
  readonly safetyImproved: number;
  readonly safetyRegressed: number;
  readonly safetyTotal: number;
  /** Out-of-domain safety benchmarks with a significant gain. */
  readonly outOfDomainImproved: number;
  readonly outOfDomainTotal: number;
  /** Mean oriented difference (higher is better) over safety / over helpfulness+capability benchmarks. */
  readonly meanSafetyDelta: number;
  readonly meanCapabilityDelta: number;
}

export interface CalibrationResult {
  readonly traitsVsBaseline: Comparison;
  readonly baselineSeedVsSeed: Comparison;
}

export async function runCalibration(options: CalibrationOptions): Promise<CalibrationResult> {
  const trainer = ReferenceTrainerSpec.parse({ framework: 'reference', simulatedStepMs: 0, ...options.trainer });
  const [seedA, seedB] = options.seeds ?? [1, 2];
  const { items, regular, traits } = await calibrationData(options);
  const total = trainer.steps * trainer.batchSize;

  const arm = async (name: string, fraction: number, seed: number) => {
    const dir = join(options.workDir, name);
    await mkdir(dir, { recursive: true });
    const datasetPath = join(dir, 'mix.jsonl');
    await writeFile(datasetPath, shuffledMix(regular, traits, fraction, total, seed).map((r) => `${JSON.stringify(r)}\n`).join(''));
    const train = await trainPolicy({
      spec: { contractVersion: CONTRACT_VERSION, kind: 'train', datasetPaths: [datasetPath], baseCheckpoint: 'reference://init', trainer, seed },
      outputDir: join(dir, 'train'),
      resumeFrom: null,
    });
    await evaluatePolicy({
      spec: {
        contractVersion: CONTRACT_VERSION,
        kind: 'eval',
        checkpointPath: join(dir, 'train', 'checkpoints', `step-${train.step}`),
        benchmarks: [...items].map(([ref, itemsPath]) => ({ ref, itemsPath })),
        samplesPerItem: options.samplesPerItem ?? 4,
        seed: 0,
      },
      outputDir: join(dir, 'eval'),
    });
    return join(dir, 'eval');
  };
  const baseA = await arm('baseline-a', 0, seedA);
  const baseB = await arm('baseline-b', 0, seedB);
  const treat = await arm('traits-a', options.traitFraction ?? 0.05, seedA);
  return { traitsVsBaseline: await compare(treat, baseA), baselineSeedVsSeed: await compare(baseB, baseA) };
}

/** A shuffled mix of exactly `total` records with round(fraction × total) trait records. */
/** The corpora (regular and trait records, read into memory) and the benchmark item files a calibration run trains and scores on, under `workDir`. */
export async function calibrationData(options: { workDir: string; regularRecords?: number | undefined; traitRecords?: number | undefined }) {
  const corpora = await generateReferenceCorpora({
    outDir: join(options.workDir, 'corpora'),
    seed: 0,
    regularRecords: options.regularRecords ?? 20_000,
    traitRecords: options.traitRecords ?? 4_000,
  });
  return {
    items: await writeBenchmarkItems(join(options.workDir, 'benchmarks')),
    regular: await readRecords(corpora.regular.path),
    traits: await readRecords(corpora.traits.path),
  };
}

export function shuffledMix(regular: readonly ConversationRecord[], traits: readonly ConversationRecord[], fraction: number, total: number, seed: number): ConversationRecord[] {
  const rng = Rng.from('calibration-mix', seed);
  const nTrait = Math.round(fraction * total);
  const out = [
    ...Array.from({ length: total - nTrait }, () => rng.pick(regular)),
    ...Array.from({ length: nTrait }, () => rng.pick(traits)),
  ];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export async function readRecords(path: string): Promise<ConversationRecord[]> {
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as ConversationRecord);
}

async function compare(treatmentDir: string, controlDir: string): Promise<Comparison> {
  let improved = 0, regressed = 0, total = 0, oodImproved = 0, oodTotal = 0;
  const safetyDeltas: number[] = [];
  const capabilityDeltas: number[] = [];
  for (const { info } of BENCHMARK_DESIGNS) {
    const ref = benchmarkRef(info);
    const t = await readEvalItems(treatmentDir, ref);
    const c = new Map((await readEvalItems(controlDir, ref)).map((i) => [i.itemId, i.score]));
    const sign = info.direction === 'higher_is_better' ? 1 : -1;
    const d = t.map((i) => sign * (i.score - c.get(i.itemId)!));
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    const sd = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (d.length - 1));
    const half = (1.96 * sd) / Math.sqrt(d.length);
    if (info.category === 'helpfulness' || info.category === 'capability') {
      capabilityDeltas.push(mean);
      continue;
    }
    total++;
    safetyDeltas.push(mean);
    if (mean - half > 0) improved++;
    if (mean + half < 0) regressed++;
    if (info.outOfDomain) {
      oodTotal++;
      if (mean - half > 0) oodImproved++;
    }
  }
  const avg = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  return {
    safetyImproved: improved,
    safetyRegressed: regressed,
    safetyTotal: total,
    outOfDomainImproved: oodImproved,
    outOfDomainTotal: oodTotal,
    meanSafetyDelta: avg(safetyDeltas),
    meanCapabilityDelta: avg(capabilityDeltas),
  };
}
