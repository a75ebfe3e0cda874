import { z } from 'zod';
import { BenchmarkCategory } from './vocabulary.js';

export const VERDICTS = ['improved', 'no_change', 'regressed'] as const;
export const Verdict = z.enum(VERDICTS);
export type Verdict = z.infer<typeof Verdict>;

/** What each arm was trained on, for the compute-matching check. */
export const ArmCompute = z.strictObject({
  arm: z.string(),
  steps: z.number().int(),
  recordsSeen: z.number().int(),
});
export type ArmCompute = z.infer<typeof ArmCompute>;

export const BenchmarkComparison = z.strictObject({
  benchmark: z.string(),
  category: BenchmarkCategory,
  metric: z.string(),
  direction: z.enum(['higher_is_better', 'lower_is_better']),
  outOfDomain: z.boolean(),
  n: z.number().int(),
  treatmentMean: z.number(),
  controlMean: z.number(),
  /** Paired mean difference, oriented so that positive is better. */
  delta: z.number(),
  ciLow: z.number(),
  ciHigh: z.number(),
  verdict: Verdict,
});
export type BenchmarkComparison = z.infer<typeof BenchmarkComparison>;

export const VerdictCounts = z.strictObject({
  improved: z.number().int(),
  noChange: z.number().int(),
  regressed: z.number().int(),
  total: z.number().int(),
});
export type VerdictCounts = z.infer<typeof VerdictCounts>;

export const ComparisonReport = z.strictObject({
  treatment: z.string(),
  control: z.string(),
  treatmentCheckpoint: z.string(),
  controlCheckpoint: z.string(),
  computeMatch: z.strictObject({
    matched: z.boolean(),
    treatment: ArmCompute,
    control: ArmCompute,
    note: z.string(),
  }),
  benchmarks: z.array(BenchmarkComparison),
  byCategory: z.array(z.strictObject({ category: BenchmarkCategory }).extend(VerdictCounts.shape)),
  totals: VerdictCounts,
});
export type ComparisonReport = z.infer<typeof ComparisonReport>;

/** Each arm's lineage: the data it trained on (mix id and manifest) and the checkpoint compared. */
export const ReportArm = z.strictObject({
  name: z.string(),
  checkpoint: z.string(),
  mixId: z.string().nullable(),
  mixManifest: z.string().nullable(),
  mixRecords: z.number().int().nullable(),
  mixComponents: z.array(z.strictObject({ name: z.string(), selected: z.number().int() })),
  /** The arm's training seed. Optional: reports stored before it was recorded lack it. */
  seed: z.number().int().optional(),
  /** The training step of the checkpoint compared. */
  checkpointStep: z.number().int().optional(),
});
export type ReportArm = z.infer<typeof ReportArm>;

export const Report = z.strictObject({
  schemaVersion: z.literal(1),
  experimentId: z.string(),
  experimentName: z.string(),
  specHash: z.string(),
  simulated: z.boolean(),
  method: z.strictObject({
    interval: z.string(),
    confidence: z.number(),
    multipleComparisons: z.string(),
  }),
  arms: z.array(ReportArm).default([]),
  comparisons: z.array(ComparisonReport),
  /** From the spec's metadata, for the report header. */
  description: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  /** Responses sampled per benchmark item (each item's score is their mean). */
  samplesPerItem: z.number().int().optional(),
  /**
   * What the base model is, when it says so itself (BALLAST_MODEL.json in its directory), e.g. "tiny random
   * model: proves the plumbing, not the science"; shown as a banner like the SIMULATED one.
   */
  modelLabel: z.string().max(500).optional(),
});
export type Report = z.infer<typeof Report>;
