import { z } from 'zod';
import { BenchmarkCategory } from './vocabulary.js';

export const VERDICTS = ['improved', 'no_change', 'regressed'] as const;
export const Verdict = z.enum(VERDICTS);
export type Verdict = z.infer<typeof Verdict>;

/** A benchmark's verdict: its interval's, or `insufficient_data` when there is no honest interval. */
export const BENCHMARK_VERDICTS = [...VERDICTS, 'insufficient_data'] as const;
export const BenchmarkVerdict = z.enum(BENCHMARK_VERDICTS);
export type BenchmarkVerdict = z.infer<typeof BenchmarkVerdict>;

/** Why a benchmark has no interval (docs/statistics.md, "Insufficient data"). */
export const InsufficientReason = z.enum(['too_few_items', 'too_few_clusters', 'too_few_seeds', 'no_variance', 'too_few_effects', 'not_evaluated', 'too_few_levels']);
export type InsufficientReason = z.infer<typeof InsufficientReason>;

/** What an interval's width accounts for: item sampling only (one seed per arm), or seeds and items. */
export const IntervalCoverage = z.enum(['items', 'seeds-and-items']);
export type IntervalCoverage = z.infer<typeof IntervalCoverage>;

/** How an interval was made (docs/statistics.md). */
export const EstimateMethod = z.enum(['item-t', 'item-cr2-t', 'seed-t', 'hierarchical-bootstrap']);
export type EstimateMethod = z.infer<typeof EstimateMethod>;

/** Where a benchmark sits relative to the domains of the treatment arm's trait data. */
export const DomainRelation = z.enum(['in_domain', 'out_of_domain', 'general']);
export type DomainRelation = z.infer<typeof DomainRelation>;

export const NON_INFERIORITY_VERDICTS = ['non_inferior', 'inferior', 'inconclusive', 'insufficient_data'] as const;
export const NonInferiorityVerdict = z.enum(NON_INFERIORITY_VERDICTS);

/** What each arm trained on, for the compute-matching check (per seed; equal across an arm's seeds or the range). */
export const ArmCompute = z.strictObject({
  arm: z.string(),
  steps: z.number().int(),
  recordsSeen: z.number().int(),
  /** Tokens trained on (the reference workload's own count; the base model's tokenizer for real models). Null when the trainer did not report it. */
  tokensSeen: z.number().int().nullable(),
});
export type ArmCompute = z.infer<typeof ArmCompute>;

/** One estimate with everything needed to check or re-adjust it later. Null fields: the data could not give them. */
export const EstimateFields = {
  /** Mean paired difference, oriented so that positive is better. */
  delta: z.number().nullable(),
  se: z.number().nullable(),
  df: z.number().nullable(),
  ciLow: z.number().nullable(),
  ciHigh: z.number().nullable(),
  /** Two-sided, unadjusted. */
  pValue: z.number().nullable(),
  /** Paired items compared (per seed pair; the smallest when they differ). */
  items: z.number().int(),
  /** Conversation clusters, when items carry one. */
  clusters: z.number().int().nullable(),
  samplesPerItem: z.number().int().nullable(),
  /** Seed pairs compared. */
  seeds: z.number().int(),
  covers: IntervalCoverage,
  method: EstimateMethod.nullable(),
  /** Unadjusted verdict, from the interval. */
  verdict: BenchmarkVerdict,
  insufficientReason: InsufficientReason.nullable(),
  insufficientDetail: z.string().nullable(),
} as const;

export const NonInferiorityResult = z.strictObject({
  margin: z.number(),
  /** One-sided level; the bounds are those of the two-sided (1 − 2α) interval. */
  alpha: z.number(),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
  verdict: NonInferiorityVerdict,
});
export type NonInferiorityResult = z.infer<typeof NonInferiorityResult>;

export const BenchmarkComparison = z.strictObject({
  benchmark: z.string(),
  category: BenchmarkCategory,
  metric: z.string(),
  direction: z.enum(['higher_is_better', 'lower_is_better']),
  domains: z.array(z.string()),
  /** Computed from the treatment arm's actual mix: in-domain when a benchmark domain is in its trait data. */
  domainRelation: DomainRelation,
  /** Mean score per arm (over seeds); null when the arm has no results. */
  treatmentMean: z.number().nullable(),
  controlMean: z.number().nullable(),
  ...EstimateFields,
  /** Paired standardised effect d_z = Δ / SD of the per-item differences; null when it does not exist. */
  standardisedEffect: z.number().nullable(),
  standardisedVariance: z.number().nullable(),
  /** Whether the benchmark is in the declared headline family (adjusted p-values exist only for those). */
  inHeadlineFamily: z.boolean(),
  /** Holm- and BH-adjusted p-values within the headline family. */
  pHolm: z.number().nullable(),
  pBH: z.number().nullable(),
  holmVerdict: BenchmarkVerdict,
  bhVerdict: BenchmarkVerdict,
  /** Against the declared margin, for benchmarks that have one (capability, helpfulness). */
  nonInferiority: NonInferiorityResult.nullable(),
});
export type BenchmarkComparison = z.infer<typeof BenchmarkComparison>;

export const VerdictCounts = z.strictObject({
  improved: z.number().int(),
  noChange: z.number().int(),
  regressed: z.number().int(),
  insufficient: z.number().int(),
  total: z.number().int(),
});
export type VerdictCounts = z.infer<typeof VerdictCounts>;

/** The headline: improved and regressed in the declared family, after Holm, with BH and unadjusted beside. */
export const Headline = z.strictObject({
  /** The declared family's size, benchmarks no run evaluated included (they count as insufficient data). */
  family: z.number().int(),
  /** Family benchmarks no paired run evaluated at all (an evaluation that failed everywhere). */
  notEvaluated: z.array(z.string()),
  alpha: z.number(),
  holm: VerdictCounts,
  bh: VerdictCounts,
  unadjusted: VerdictCounts,
  covers: IntervalCoverage,
  /** Plain words for the headline's scope, e.g. that intervals cover item sampling only. */
  coverageNote: z.string(),
});
export type Headline = z.infer<typeof Headline>;

/** DerSimonian–Laird random-effects summary of the family's standardised effects (Hartung–Knapp interval). */
export const RandomEffects = z.union([
  z.strictObject({
    kind: z.literal('summary'),
    k: z.number().int(),
    mean: z.number(),
    se: z.number(),
    df: z.number(),
    tau2: z.number(),
    i2: z.number(),
    ciLow: z.number(),
    ciHigh: z.number(),
    pValue: z.number(),
    interval: z.enum(['hartung-knapp', 'normal']),
  }),
  z.strictObject({ kind: z.literal('insufficient_data'), detail: z.string() }),
]);
export type RandomEffects = z.infer<typeof RandomEffects>;

/** One point of a per-checkpoint curve: the paired, clustered comparison at one training step. */
export const CurvePoint = z.strictObject({
  step: z.number().int(),
  delta: z.number().nullable(),
  ciLow: z.number().nullable(),
  ciHigh: z.number().nullable(),
  seeds: z.number().int(),
  verdict: BenchmarkVerdict,
});
export type CurvePoint = z.infer<typeof CurvePoint>;

export const BenchmarkCurve = z.strictObject({ benchmark: z.string(), points: z.array(CurvePoint) });
export type BenchmarkCurve = z.infer<typeof BenchmarkCurve>;

export const ComputeMatch = z.strictObject({
  /** Same steps and records. */
  matched: z.boolean(),
  /** Tokens within 5% (or unknown: null). */
  tokensMatched: z.boolean().nullable(),
  /** Treatment tokens / control tokens. */
  tokenRatio: z.number().nullable(),
  treatment: ArmCompute,
  control: ArmCompute,
  note: z.string(),
});
export type ComputeMatch = z.infer<typeof ComputeMatch>;

export const ComparisonReport = z.strictObject({
  treatment: z.string(),
  control: z.string(),
  /** The checkpoints compared, one per seed. */
  treatmentCheckpoints: z.array(z.string()),
  controlCheckpoints: z.array(z.string()),
  computeMatch: ComputeMatch,
  headline: Headline,
  randomEffects: RandomEffects,
  benchmarks: z.array(BenchmarkComparison),
  /** Counts per category (Holm verdicts in the family, unadjusted outside it). */
  byCategory: z.array(z.strictObject({ category: BenchmarkCategory }).extend(VerdictCounts.shape)),
  curves: z.array(BenchmarkCurve),
});
export type ComparisonReport = z.infer<typeof ComparisonReport>;

/** One cell of the generalisation matrix: a training condition (comparison) × an evaluation group. */
export const GeneralisationCell = z.strictObject({
  /** A benchmark category, or `in_domain` / `out_of_domain` computed from the treatment arm's mix. */
  column: z.string(),
  improved: z.number().int(),
  regressed: z.number().int(),
  total: z.number().int(),
  /** Wilson interval (at the report's confidence, 1 − α) of the share improved, reading the group's benchmarks as a sample of such benchmarks. */
  shareLow: z.number(),
  shareHigh: z.number(),
  /** Random-effects mean standardised effect of the cell, with its interval; null with fewer than 2 benchmarks. */
  pooled: z.strictObject({ mean: z.number(), ciLow: z.number(), ciHigh: z.number() }).nullable(),
  /** "k of N out-of-domain evaluations improved" in words. */
  text: z.string(),
});
export type GeneralisationCell = z.infer<typeof GeneralisationCell>;

export const GeneralisationRow = z.strictObject({
  treatment: z.string(),
  control: z.string(),
  /** The trait domains the treatment arm trained on, from its mix manifest. */
  trainedDomains: z.array(z.string()),
  cells: z.array(GeneralisationCell),
});
export type GeneralisationRow = z.infer<typeof GeneralisationRow>;

/** Where a run's checkpoints and evaluations came from when they were reused from an identical run of an earlier experiment. */
export const ReusedFrom = z.strictObject({
  experimentId: z.string(),
  experimentName: z.string(),
  /** The earlier experiment's own name for the run (`arm` or `arm.rK`). */
  run: z.string(),
});
export type ReusedFrom = z.infer<typeof ReusedFrom>;

/** Each arm's lineage: per seed, the data it trained on (mix id and manifest), the checkpoint compared and its compute. */
export const ReportReplicate = z.strictObject({
  /** The run's own name (the arm's name, or `arm.rK` with replicates). */
  run: z.string(),
  seed: z.number().int(),
  checkpoint: z.string(),
  checkpointStep: z.number().int(),
  mixId: z.string().nullable(),
  mixManifest: z.string().nullable(),
  mixRecords: z.number().int().nullable(),
  mixComponents: z.array(z.strictObject({ name: z.string(), selected: z.number().int() })),
  steps: z.number().int(),
  recordsSeen: z.number().int(),
  tokensSeen: z.number().int().nullable(),
  /** Set when this run was not trained here: its checkpoints and evaluations were reused from an earlier experiment. */
  reusedFrom: ReusedFrom.optional(),
});
export type ReportReplicate = z.infer<typeof ReportReplicate>;

export const ReportArm = z.strictObject({
  name: z.string(),
  /** Trait domains in this arm's trait data (from its mix manifest), for out-of-domain. */
  trainedDomains: z.array(z.string()),
  replicates: z.array(ReportReplicate),
});
export type ReportArm = z.infer<typeof ReportArm>;

/**
 * A linear combination of item means (a trend, an area between curves, a difference at one step) with
 * its interval: seed-level t with replicates, item-level t (CR2 with Bell–McCaffrey df when clustered)
 * otherwise (docs/statistics.md, "Dose–response" and "Selective persistence"). Null numbers: the data
 * could not give them, and `insufficientReason` says why.
 */
export const ContrastFields = {
  estimate: z.number().nullable(),
  se: z.number().nullable(),
  df: z.number().nullable(),
  ciLow: z.number().nullable(),
  ciHigh: z.number().nullable(),
  /** Two-sided, unadjusted, for the value 0; null where 0 is no hypothesis (a single arm's score). */
  pValue: z.number().nullable(),
  /** Items behind the value (summed over the benchmarks it averages; per seed pair). */
  items: z.number().int(),
  /** Conversation clusters (summed over benchmarks) when items carry one. */
  clusters: z.number().int().nullable(),
  seeds: z.number().int(),
  covers: IntervalCoverage,
  method: EstimateMethod.nullable(),
  insufficientReason: InsufficientReason.nullable(),
  insufficientDetail: z.string().nullable(),
} as const;
export const ContrastEstimate = z.strictObject(ContrastFields);
export type ContrastEstimate = z.infer<typeof ContrastEstimate>;

/** One arm of a trait-fraction sweep; the control is at fraction 0. */
export const DoseResponseArm = z.strictObject({ arm: z.string(), fraction: z.number().min(0).max(1) });
export type DoseResponseArm = z.infer<typeof DoseResponseArm>;

/** One arm's mean oriented Δ against the sweep's control, with its interval: the points of the plot. */
export const DosePoint = z.strictObject({
  arm: z.string(),
  fraction: z.number(),
  delta: z.number().nullable(),
  ciLow: z.number().nullable(),
  ciHigh: z.number().nullable(),
  seeds: z.number().int(),
  verdict: BenchmarkVerdict,
});
export type DosePoint = z.infer<typeof DosePoint>;

/** The least-squares line at one fraction, as Δ against the control, with a pointwise interval: the band of the plot. */
export const DoseFitPoint = z.strictObject({
  fraction: z.number(),
  value: z.number().nullable(),
  ciLow: z.number().nullable(),
  ciHigh: z.number().nullable(),
});
export type DoseFitPoint = z.infer<typeof DoseFitPoint>;

export const DoseResponseRow = z.strictObject({
  benchmark: z.string(),
  category: BenchmarkCategory,
  metric: z.string(),
  direction: z.enum(['higher_is_better', 'lower_is_better']),
  inHeadlineFamily: z.boolean(),
  /** Least-squares slope of the oriented score in the trait fraction, per +1 percentage point. */
  slope: ContrastEstimate,
  /** Unadjusted, from the slope's interval: `improved` = more trait data, better. */
  verdict: BenchmarkVerdict,
  pHolm: z.number().nullable(),
  pBH: z.number().nullable(),
  holmVerdict: BenchmarkVerdict,
  bhVerdict: BenchmarkVerdict,
  /** Slope ÷ SD of the per-item trend contrasts, with its sampling variance, for pooling. */
  standardisedEffect: z.number().nullable(),
  standardisedVariance: z.number().nullable(),
  points: z.array(DosePoint),
  fit: z.array(DoseFitPoint),
});
export type DoseResponseRow = z.infer<typeof DoseResponseRow>;

/** The dose–response section: the linear trend in the trait fraction, per benchmark, adjusted across the headline family. */
export const DoseResponseReport = z.strictObject({
  control: z.string(),
  /** Every arm of the sweep, control first (fraction 0), then by fraction. */
  arms: z.array(DoseResponseArm),
  unit: z.literal('per_percentage_point'),
  /** Replicates every sweep arm has (replicate K of each arm forms one seed). */
  seeds: z.number().int(),
  covers: IntervalCoverage,
  headline: z.strictObject({
    family: z.number().int(),
    notEvaluated: z.array(z.string()),
    alpha: z.number(),
    holm: VerdictCounts,
    bh: VerdictCounts,
    unadjusted: VerdictCounts,
  }),
  /** DerSimonian–Laird pooling (Hartung–Knapp) of the family's standardised trends. */
  randomEffects: RandomEffects,
  /** Every evaluated benchmark; `inHeadlineFamily` marks the adjusted ones. */
  benchmarks: z.array(DoseResponseRow),
});
export type DoseResponseReport = z.infer<typeof DoseResponseReport>;

/** Persistence beyond chance: the area between curves with its interval entirely above 0 (improved) or below (worse). */
export const PersistenceVerdict = z.enum(['improved', 'unchanged', 'worse', 'insufficient_data']);
export type PersistenceVerdict = z.infer<typeof PersistenceVerdict>;

/** One arm's score at one attack step or pressure level (`at`), with its interval. */
export const PersistencePoint = z.strictObject({ at: z.number(), label: z.string(), ...ContrastFields });
export type PersistencePoint = z.infer<typeof PersistencePoint>;

export const PersistenceCurves = z.strictObject({ treatment: z.array(PersistencePoint), control: z.array(PersistencePoint) });
export type PersistenceCurves = z.infer<typeof PersistenceCurves>;

/** The persistence part: (1/x_K)∫[h_T − h_C] by the trapezoid rule, positive = the treatment holds up better. */
export const PersistencePart = z.strictObject({ area: ContrastEstimate, verdict: PersistenceVerdict });
export type PersistencePart = z.infer<typeof PersistencePart>;

/** Steering score, treatment − control, at one attack step. */
export const SteeringDifference = z.strictObject({ step: z.number().int(), ...ContrastFields, verdict: BenchmarkVerdict });
export type SteeringDifference = z.infer<typeof SteeringDifference>;

/** The steerability part: the steering difference per attack step, its mean over the steps, and that mean against the margin. */
export const SteerabilityPart = z.strictObject({
  byStep: z.array(SteeringDifference),
  mean: ContrastEstimate,
  nonInferiority: NonInferiorityResult,
});
export type SteerabilityPart = z.infer<typeof SteerabilityPart>;

export const AttackPersistence = z.strictObject({
  attack: z.string(),
  /** Attack steps, increasing, from 0 (the unattacked final checkpoint). */
  steps: z.array(z.number().int()),
  /** Mean oriented harm-side score (higher = safer) against attack step, per arm. */
  harm: PersistenceCurves,
  /** Mean steering score (higher = follows benign instructions) against attack step, per arm. */
  steering: PersistenceCurves,
  persistence: PersistencePart,
  steerability: SteerabilityPart,
});
export type AttackPersistence = z.infer<typeof AttackPersistence>;

export const PressurePersistence = z.strictObject({
  levels: z.array(z.strictObject({ ref: z.string(), level: z.number(), label: z.string() })),
  /** The area is taken over the levels' order (0, 1, 2, …), not their numeric values. */
  axis: z.literal('level_index'),
  harm: PersistenceCurves,
  persistence: PersistencePart,
});
export type PressurePersistence = z.infer<typeof PressurePersistence>;

/** Selective persistence of one comparison: both parts, side by side, never combined. */
export const PersistenceComparison = z.strictObject({
  treatment: z.string(),
  control: z.string(),
  seeds: z.number().int(),
  covers: IntervalCoverage,
  attacks: z.array(AttackPersistence),
  pressure: PressurePersistence.nullable(),
});
export type PersistenceComparison = z.infer<typeof PersistenceComparison>;

export const PersistenceReport = z.strictObject({
  /** The harm-side benchmarks averaged into the harm-side score. */
  benchmarks: z.array(z.string()),
  /** The benign-instruction benchmarks averaged into the steering score. */
  steering: z.array(z.string()),
  /** The steerability non-inferiority margin (the helpfulness margin). */
  margin: z.number(),
  alpha: z.number(),
  /** Comparisons whose arms were both stressed. */
  comparisons: z.array(PersistenceComparison),
});
export type PersistenceReport = z.infer<typeof PersistenceReport>;

/** What the spec declared before launch (locked into the resolved spec), shown as declared. */
export const ReportPreregistration = z.strictObject({
  /** False for an experiment launched before specs declared an analysis: these are defaults applied at report time. */
  declared: z.boolean(),
  alpha: z.number(),
  seedsPerArm: z.number().int(),
  headlineBenchmarks: z.array(z.string()),
  headlineCategories: z.array(z.string()),
  primaryMetrics: z.array(z.string()),
  nonInferiorityMargins: z.record(z.string(), z.number()),
  interval: z.enum(['seed-t', 'hierarchical-bootstrap']),
});
export type ReportPreregistration = z.infer<typeof ReportPreregistration>;

export const Report = z.strictObject({
  schemaVersion: z.literal(2),
  experimentId: z.string(),
  experimentName: z.string(),
  specHash: z.string(),
  simulated: z.boolean(),
  method: z.strictObject({
    interval: z.string(),
    confidence: z.number(),
    covers: IntervalCoverage,
    multipleComparisons: z.string(),
    pooling: z.string(),
  }),
  preregistration: ReportPreregistration,
  arms: z.array(ReportArm),
  comparisons: z.array(ComparisonReport),
  generalisation: z.array(GeneralisationRow),
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
  /** The trend in the trait fraction across a sweep of arms, when the experiment has one. */
  doseResponse: DoseResponseReport.optional(),
  /** Selective persistence of the stressed comparisons, when the experiment stressed any. */
  persistence: PersistenceReport.optional(),
});
export type Report = z.infer<typeof Report>;
