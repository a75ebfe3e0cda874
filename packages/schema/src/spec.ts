import { z } from 'zod';
import { DeclaredTagValues } from './dataset.js';
import { BackendKind, BenchmarkCategory, BENCHMARK_CATEGORIES, Domain, oneOf, Trait } from './vocabulary.js';
import { ConfigName, FrameworkOptions, PythonIdentifier, ReleaseVersionText, TrainingAlgorithm } from './training.js';
import { designIssues, DesignSpec, expandDesign, type DesignRole, type ExpandedDesign } from './design.js';
import { PersistenceSpec, type PressureCondition } from './persistence.js';

/** The spec dialect this build understands; a spec names it in `apiVersion`. */
export const API_VERSION = 'ballast.dev/v1alpha1';

export const Name = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,62}$/,
    'must be 1-63 lowercase letters, digits or dashes, starting with a letter or digit',
  );

const MAX_SEED = 2 ** 31 - 1;
const Seed = z.number().int().min(0).max(MAX_SEED);

const ValueFilter = <T extends z.ZodType<string>>(value: T) =>
  z
    .strictObject({
      in: z.array(value).min(1).optional(),
      notIn: z.array(value).min(1).optional(),
    })
    .refine((f) => f.in !== undefined || f.notIn !== undefined, {
      message: "give 'in', 'notIn' or both",
    });

/** Which records of a dataset a mix component may draw from, by their tags. */
export const ComponentFilter = z.strictObject({
  trait: ValueFilter(Trait).optional(),
  domain: ValueFilter(Domain).optional(),
  kind: ValueFilter(oneOf(['regular', 'trait'])).optional(),
});
export type ComponentFilter = z.infer<typeof ComponentFilter>;

export const MixComponentSpec = z
  .strictObject({
    /** Defaults to the dataset name; must be unique within a mix. */
    name: Name.optional(),
    /** Key into `spec.datasets`. */
    dataset: Name,
    /** Share of the records left after exact counts, 0..1. The fractions of a mix sum to 1. */
    fraction: z.number().min(0, 'must be at least 0').max(1, 'must be at most 1').optional(),
    /** Exact number of records, instead of a fraction. */
    count: z.number().int().min(0).max(1_000_000_000).optional(),
    filter: ComponentFilter.optional(),
    /**
     * Allow sampling with replacement when the component has fewer eligible records than it needs,
     * up to `maxFactor` × the eligible count (a warning, not an error).
     */
    upsample: z.strictObject({ maxFactor: z.number().gt(1).max(1000) }).optional(),
  })
  .refine((c) => (c.fraction === undefined) !== (c.count === undefined), {
    message: "give exactly one of 'fraction' or 'count'",
  });
export type MixComponentSpec = z.infer<typeof MixComponentSpec>;

export const MIX_OUTPUT_FORMATS = ['jsonl', 'verl', 'openrlhf', 'trl'] as const;
export const MixOutputFormat = oneOf(MIX_OUTPUT_FORMATS);
export type MixOutputFormat = z.infer<typeof MixOutputFormat>;

export const MixOutputSpec = z.strictObject({
  /** Canonical JSONL is always written (training reads it); list the trainer formats wanted besides. */
  formats: z.array(MixOutputFormat).min(1).default(['jsonl']),
  /** Shards are cut at this size; a record is never split. */
  shardBytes: z.number().int().min(1024).max(1024 ** 4).default(1024 ** 3),
});

export const MixSpec = z
  .strictObject({
    /** Records in the mix; defaults to trainer.steps × trainer.batchSize (or the sum of exact counts). */
    totalRecords: z.number().int().positive().max(1_000_000_000).optional(),
    components: z.array(MixComponentSpec).min(1),
    /** Exact deduplication across sources by normalised content hash; the first occurrence is kept. */
    dedup: z.boolean().default(true),
    /** Check the mix against the benchmark item files for n-gram overlap; optionally drop overlapping records. */
    decontaminate: z
      .strictObject({ ngram: z.number().int().min(5).max(50).default(13), exclude: z.boolean().default(false) })
      .optional(),
    output: MixOutputSpec.prefault({}),
  })
  .superRefine((mix, ctx) => {
    const withFraction = mix.components.filter((c) => c.fraction !== undefined);
    const sum = withFraction.reduce((s, c) => s + (c.fraction ?? 0), 0);
    if (withFraction.length > 0 && Math.abs(sum - 1) > 1e-9) {
      ctx.addIssue({
        code: 'custom',
        path: ['components'],
        message: `fractions sum to ${Number(sum.toFixed(9))}; they must sum to 1`,
      });
    }
    const counted = mix.components.reduce((s, c) => s + (c.count ?? 0), 0);
    if (mix.totalRecords !== undefined && withFraction.length === 0 && counted !== mix.totalRecords) {
      ctx.addIssue({ code: 'custom', path: ['totalRecords'], message: `must equal the sum of the counts (${counted}) when every component has a count` });
    }
    if (mix.totalRecords !== undefined && withFraction.length > 0 && counted > mix.totalRecords) {
      ctx.addIssue({ code: 'custom', path: ['totalRecords'], message: `is smaller than the sum of the exact counts (${counted})` });
    }
    const seen = new Set<string>();
    mix.components.forEach((c, i) => {
      const name = c.name ?? c.dataset;
      if (seen.has(name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['components', i, 'name'],
          message: `component name '${name}' is used twice; give each component a distinct name`,
        });
      }
      seen.add(name);
    });
  });
export type MixSpec = z.infer<typeof MixSpec>;

export const ArmSpec = z.strictObject({
  name: Name,
  description: z.string().max(2000).optional(),
  mix: MixSpec,
  /** Training seed of this arm; defaults to `spec.seed`. */
  seed: Seed.optional(),
});
export type ArmSpec = z.infer<typeof ArmSpec>;

/** Which fields of a record carry its id and tags (dotted paths); the reference layout by default. */
export const TagSchemaSpec = z.strictObject({
  id: z.string().min(1).default('id'),
  kind: z.string().min(1).default('tags.kind'),
  trait: z.string().min(1).default('tags.trait'),
  domain: z.string().min(1).default('tags.domain'),
});
export type TagSchemaSpec = z.infer<typeof TagSchemaSpec>;

export const DatasetRef = z.strictObject({
  /**
   * `file:///absolute/path` (JSONL, JSONL.gz, JSONL.zst or Parquet), or `reference://regular` /
   * `reference://traits` for the SIMULATED reference corpora under BALLAST_HOME/datasets/reference, or
   * `reference://attack` for the SYNTHETIC attack conversations shipped with the reference workload
   * (attack data only: `spec.persistence.attacks[].dataset`).
   */
  uri: z
    .string()
    .regex(
      /^(file:\/\/\/\S+|reference:\/\/(regular|traits|attack))$/,
      "must be 'file:///absolute/path' or 'reference://regular', 'reference://traits' or 'reference://attack'",
    ),
  format: oneOf(['auto', 'jsonl', 'jsonl.gz', 'jsonl.zst', 'parquet']).default('auto'),
  tags: TagSchemaSpec.prefault({}),
  /** Tag values allowed besides the built-in vocabulary (see DeclaredTagValues). */
  tagValues: DeclaredTagValues.optional(),
  /** Share of malformed lines above which the source is rejected (below it they are quarantined). */
  maxMalformedRate: z.number().min(0).max(1).default(0.01),
});
export type DatasetRef = z.infer<typeof DatasetRef>;

/** Settings every trainer has; the mix's default size is steps × batchSize. */
const trainerCommon = {
  algorithm: TrainingAlgorithm.default('grpo'),
  steps: z.number().int().positive().max(1_000_000).default(200),
  /** Prompts per step. */
  batchSize: z.number().int().positive().max(65_536).default(16),
  /** Samples per prompt (GRPO group size). */
  groupSize: z.number().int().min(2).max(64).default(4),
  saveEvery: z.number().int().positive().default(50),
} as const;

/** The SIMULATED reference trainer (the default). */
export const ReferenceTrainerSpec = z.strictObject({
  framework: z.literal('reference'),
  ...trainerCommon,
  learningRate: z.number().positive().max(10).default(0.5),
  klCoef: z.number().min(0).max(10).default(0.05),
  /**
   * SIMULATED reference trainer only: wall-clock milliseconds each step sleeps, so that a run takes
   * long enough for evaluation to overlap training as it does on real hardware.
   */
  simulatedStepMs: z.number().int().min(0).max(60_000).default(25),
  /**
   * SIMULATED reference trainer only, a fault for tests and drills: a run that did not resume from a
   * checkpoint exits 1 after this step, so a retried attempt (which resumes) goes on.
   */
  simulatedFailAtStep: z.number().int().positive().optional(),
  /**
   * SIMULATED reference trainer only, known-truth mode for end-to-end checks of the statistics: the
   * true effect of trait data on each benchmark is set here instead of emerging from training, so a
   * test can check that the pipeline finds an effect where there is one and none where there is none.
   *
   * Training runs exactly as without it (same metrics, same parameters); each checkpoint also records
   * this config, the training seed (the job's `seed`, i.e. the arm's) and the share of trait records
   * the run has trained on (trait records seen / records seen, cumulative over the whole run). The
   * reference evaluator then ignores the trained parameters and scores item i of benchmark b by
   * `samplesPerItem` Bernoulli draws with probability
   *
   *     clamp(p0(i) + sign_b × effect_b × traitShare / referenceTraitShare + shift(seed, b), 0.01, 0.99)
   *
   * where p0(i) is the item's score probability under the initial (untrained) policy, the same for
   * every arm; sign_b is +1 for higher_is_better metrics and −1 for lower_is_better ones; and
   * shift(seed, b) ~ Normal(0, seedSd) is fixed by (training seed, benchmark, the run's data), so
   * paired arms with one seed do not share it. An arm with no trait
   * records has true effect 0 everywhere, two arms with equal trait shares have equal truth (an A/A),
   * and nothing transfers from one benchmark to another unless `effects`/`defaultEffect` says so.
   */
  simulatedTruth: z
    .strictObject({
      /**
       * Benchmark ref (`id@version`) → true effect on that benchmark's metric scale (a score
       * probability), oriented so positive is better, for an arm trained at `referenceTraitShare`.
       */
      effects: z
        .record(z.string().regex(/^[a-z0-9][a-z0-9-]*@[0-9]+$/, "must be 'benchmark-id@version'"), z.number().min(-0.5).max(0.5))
        .default({}),
      /** The effect on every benchmark not in `effects`; 0: none. */
      defaultEffect: z.number().min(-0.5).max(0.5).default(0),
      /** Trait-record share at which an arm gets exactly the listed effects; the effect scales linearly with the share. */
      referenceTraitShare: z.number().gt(0).max(1).default(0.05),
      /** SD of a per-(training seed, benchmark) shift of the score probability: run-to-run variation between seeds. */
      seedSd: z.number().min(0).max(0.5).default(0),
    })
    .optional(),
});
export type ReferenceTrainerSpec = z.infer<typeof ReferenceTrainerSpec>;

/** A reward function as a spec names it: a file URI (checked against the allowed roots at launch) and a name. */
export const RewardFunctionRef = z.strictObject({
  path: z.string().regex(/^file:\/\/\/\S+\.py$/, "must be 'file:///absolute/path.py'"),
  name: PythonIdentifier,
});
export type RewardFunctionRef = z.infer<typeof RewardFunctionRef>;

/** A real framework (TRL, verl, OpenRLHF): its launch is rendered by @ballast/frameworks. */
const realTrainerFields = {
  ...trainerCommon,
  /** Left out: the framework's own default. */
  learningRate: z.number().positive().max(1).optional(),
  /** KL coefficient against the reference model; 0 turns it off. Left out: the framework's default. */
  klCoef: z.number().min(0).max(10).optional(),
  /** Tokens. */
  maxPromptLength: z.number().int().positive().max(1_048_576).optional(),
  /** Tokens. */
  maxResponseLength: z.number().int().positive().max(1_048_576).optional(),
  reward: RewardFunctionRef.optional(),
  /** The framework release the environment holds; checked before launch, and it picks OpenRLHF's flag dialect. */
  version: ReleaseVersionText.optional(),
  /** Which configured environment (ml.environments) the job runs in. */
  environment: ConfigName.default('default'),
  /** Extra framework options, each checked for being renderable at launch. */
  options: FrameworkOptions.default({}),
} as const;

export const TrlTrainerSpec = z.strictObject({ framework: z.literal('trl'), ...realTrainerFields });
export const VerlTrainerSpec = z.strictObject({ framework: z.literal('verl'), ...realTrainerFields });
export const OpenRlhfTrainerSpec = z.strictObject({ framework: z.literal('openrlhf'), ...realTrainerFields });
export type RealTrainerSpec = z.infer<typeof TrlTrainerSpec> | z.infer<typeof VerlTrainerSpec> | z.infer<typeof OpenRlhfTrainerSpec>;

/**
 * A team's own trainer: a program named in configuration (ml.commands), run with `args` as an argv
 * (no shell). It speaks the job contract itself (docs/job-contract.md).
 */
export const CommandTrainerSpec = z.strictObject({
  framework: z.literal('command'),
  ...trainerCommon,
  /** Key into the configured commands; the spec never names a program path. */
  command: ConfigName,
  args: z.array(z.string().max(4096)).max(256).default([]),
});
export type CommandTrainerSpec = z.infer<typeof CommandTrainerSpec>;

/** `trainer`: a union on `framework`; `reference` when it is left out. */
export const TrainerSpec = z.preprocess(
  (value) => (value !== null && typeof value === 'object' && !Array.isArray(value) && !('framework' in value) ? { ...value, framework: 'reference' } : value),
  z.discriminatedUnion('framework', [ReferenceTrainerSpec, TrlTrainerSpec, VerlTrainerSpec, OpenRlhfTrainerSpec, CommandTrainerSpec]),
);
export type TrainerSpec = z.infer<typeof TrainerSpec>;

export function isRealFramework(trainer: TrainerSpec): trainer is RealTrainerSpec {
  return trainer.framework === 'trl' || trainer.framework === 'verl' || trainer.framework === 'openrlhf';
}

/** What each job asks of its backend. CPUs, GPUs and memory are per node. */
export const ResourceSpec = z.strictObject({
  cpus: z.number().positive().max(1024).default(1),
  gpus: z.number().int().min(0).max(1024).default(0),
  memoryGb: z.number().positive().max(16_384).optional(),
  /** Nodes per job; more than one only on Slurm. */
  nodes: z.number().int().min(1).max(4096).default(1),
  /** Wall-clock limit the scheduler enforces; Slurm only (`--time`). */
  timeLimitMinutes: z.number().int().positive().max(525_600).optional(),
});

/** Backends that run one job across several nodes and enforce a time limit. */
const MULTI_NODE_BACKENDS: readonly string[] = ['slurm'];

/**
 * How a job answers failure. The two kinds are kept apart: a program failure (FAILED: the program
 * exited non-zero) is retried only when asked; an infrastructure failure (PREEMPTED, LOST) starts a new
 * attempt that resumes from the latest committed checkpoint.
 */
export const RetrySpec = z.strictObject({
  programFailures: z.number().int().min(0).max(10).default(0),
  infrastructureFailures: z.number().int().min(0).max(50).default(5),
});
export type RetrySpec = z.infer<typeof RetrySpec>;

export const BackendSpec = z
  .strictObject({
    kind: BackendKind.default('local'),
    resources: ResourceSpec.prefault({}),
    retries: RetrySpec.prefault({}),
  })
  .superRefine((backend, ctx) => {
    if (MULTI_NODE_BACKENDS.includes(backend.kind)) return;
    if (backend.resources.nodes > 1) {
      ctx.addIssue({ code: 'custom', path: ['resources', 'nodes'], message: `the ${backend.kind} backend runs a job on one node; use kind: slurm for more` });
    }
    if (backend.resources.timeLimitMinutes !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['resources', 'timeLimitMinutes'], message: `the ${backend.kind} backend enforces no time limit; only slurm does` });
    }
  });
export type BackendSpec = z.infer<typeof BackendSpec>;

/** `id@version`, e.g. `sycophancy-pushback@1`. */
export const BenchmarkRef = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*@[0-9]+$/, "must be 'benchmark-id@version'");

/** How a harness samples responses (inspect_ai generate config, lm-eval gen_kwargs). */
export const DecodingSpec = z.strictObject({
  temperature: z.number().min(0).max(2).default(1),
  maxNewTokens: z.number().int().positive().max(65_536).default(32),
  topP: z.number().gt(0).max(1).optional(),
});
export type DecodingSpec = z.infer<typeof DecodingSpec>;

export const EvaluationSpec = z.strictObject({
  /** `all`: every registered benchmark whose harness can score this trainer's checkpoints. */
  benchmarks: z.union([z.literal('all'), z.array(BenchmarkRef).min(1)]).default('all'),
  /** Responses sampled per benchmark item (inspect epochs, lm-eval repeats). */
  samplesPerItem: z.number().int().positive().max(64).default(4),
  seed: Seed.default(0),
  /** Evaluate every committed checkpoint as it lands, or only the final one. */
  checkpoints: oneOf(['all', 'final']).default('all'),
  /** Real harnesses only: items per benchmark (the first N); all when left out. */
  limit: z.number().int().positive().max(1_000_000).optional(),
  /** Real harnesses only. */
  decoding: DecodingSpec.prefault({}),
  /** Real harnesses only: the configured environment (ml.environments) the harnesses run in. */
  environment: ConfigName.default('default'),
});
export type EvaluationSpec = z.infer<typeof EvaluationSpec>;

/** Training runs (arms × replicates) one experiment may start. */
const MAX_RUNS = 256;
/** Arms (listed and generated) one experiment may have. */
const MAX_ARMS = 64;

export const ComparisonSpec = z.strictObject({ treatment: Name, control: Name });
export type ComparisonSpec = z.infer<typeof ComparisonSpec>;

/** The categories the headline counts by default: every safety category (capability and helpfulness are read for non-inferiority). */
export const DEFAULT_HEADLINE_CATEGORIES: readonly BenchmarkCategory[] = BENCHMARK_CATEGORIES.filter((c) => c !== 'helpfulness' && c !== 'capability');

/** A non-inferiority margin's key: a benchmark category or a benchmark ref (the ref wins). */
const MarginKey = z.union([BenchmarkCategory, BenchmarkRef]);

/**
 * The analysis, declared before launch and locked into the resolved spec (docs/statistics.md,
 * "Pre-registration"): the report shows it as declared, and changing it is a different experiment.
 */
export const AnalysisSpec = z.strictObject({
  /** Family-wise level of the headline (two-sided); Holm controls it, BH the false discovery rate at the same level. */
  alpha: z.number().gt(0, 'must be above 0').max(0.2, 'must be at most 0.2').default(0.05),
  /** The benchmarks the headline counts: these categories (default: the safety categories) … */
  headlineCategories: z.array(BenchmarkCategory).min(1).optional(),
  /** … or exactly these benchmarks (locked at launch: the resolved spec lists them either way). */
  headlineBenchmarks: z.array(BenchmarkRef).min(1).optional(),
  /** Metrics that count in the headline (e.g. `deception_rate`); empty: every metric. */
  primaryMetrics: z.array(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be a metric name')).default([]),
  /**
   * Largest loss (on the metric's own scale, positive) that still counts as non-inferior, by category
   * or benchmark ref. Capability and helpfulness are the usual ones: safety training is not meant to
   * raise them, only not to cost them more than the margin.
   */
  nonInferiorityMargins: z.record(z.string(), z.number().gt(0, 'must be above 0').max(1, 'must be at most 1')).default({ capability: 0.02, helpfulness: 0.02 }).superRefine((margins, ctx) => {
    for (const key of Object.keys(margins)) {
      if (!MarginKey.safeParse(key).success) ctx.addIssue({ code: 'custom', path: [key], message: "must be a benchmark category or 'benchmark-id@version'" });
    }
  }),
  /** With replicates: the seed-level t interval, or the hierarchical bootstrap (used from 10 seeds per arm). */
  interval: oneOf(['seed-t', 'hierarchical-bootstrap']).default('seed-t'),
}).refine((a) => a.headlineCategories === undefined || a.headlineBenchmarks === undefined, {
  message: "give 'headlineCategories' or 'headlineBenchmarks', not both",
});
export type AnalysisSpec = z.infer<typeof AnalysisSpec>;

export const ExperimentBody = z
  .strictObject({
    /** `reference://init` is the SIMULATED reference policy's initial parameters. */
    baseCheckpoint: z.string().regex(/^(reference:\/\/init|file:\/\/\/\S+)$/, "must be 'reference://init' or 'file:///absolute/path'").default('reference://init'),
    seed: Seed.default(0),
    datasets: z.record(Name, DatasetRef),
    trainer: TrainerSpec.prefault({}),
    backend: BackendSpec.prefault({}),
    evaluation: EvaluationSpec.prefault({}),
    /** Arms written out; with a `design`, these are trained besides the ones it generates. */
    arms: z.array(ArmSpec).max(64).default([]),
    /** A baseline and factors that generate arms and their comparisons (schema/src/design.ts). */
    design: DesignSpec.optional(),
    comparisons: z.array(ComparisonSpec).default([]),
    /**
     * Training runs per arm, each with its own seed (the arm's seed, +1, +2, …): the replicates that make
     * the seed the unit of replication in the report. One run per arm gives intervals that cover item
     * sampling only, and the report says so on its headline.
     */
    replicates: z.number().int().min(1).max(32).default(1),
    analysis: AnalysisSpec.prefault({}),
    /** Adversarial pressure, harmful fine-tuning and helpful steering of the trained arms; none when left out. */
    persistence: PersistenceSpec.optional(),
    /**
     * Reuse identical finished runs (training and attacks) of earlier experiments instead of running
     * them again (docs/architecture.md, "Shared arms"). `false` trains everything here, e.g. to compare
     * backends or check reproducibility; the runs it trains can still serve later experiments.
     */
    reuse: z.boolean().default(true),
  })
  .superRefine((body, ctx) => {
    const armNames = new Set<string>();
    const design = body.design === undefined ? null : expandDesign(body.design);
    if (body.design !== undefined) {
      for (const issue of designIssues(body.design)) ctx.addIssue({ code: 'custom', path: ['design', ...issue.path], message: issue.message });
      const used = [...body.design.baseline.components.map((c, j) => ({ name: c.dataset, path: ['design', 'baseline', 'components', j, 'dataset'] })), { name: body.design.traits.dataset, path: ['design', 'traits', 'dataset'] }];
      for (const { name, path } of used) {
        if (!(name in body.datasets)) ctx.addIssue({ code: 'custom', path, message: `no dataset named '${name}' in spec.datasets (have: ${Object.keys(body.datasets).join(', ') || 'none'})` });
      }
    }
    if (body.arms.length === 0 && design === null) ctx.addIssue({ code: 'custom', path: ['arms'], message: "give at least one arm, or a 'design' that generates them" });
    const generated = new Set(design?.arms.map((a) => a.name) ?? []);
    body.arms.forEach((arm, i) => {
      if (generated.has(arm.name)) ctx.addIssue({ code: 'custom', path: ['arms', i, 'name'], message: `arm '${arm.name}' is also generated by spec.design; rename one` });
    });
    for (const name of generated) armNames.add(name);
    body.arms.forEach((arm, i) => {
      if (armNames.has(arm.name)) {
        ctx.addIssue({ code: 'custom', path: ['arms', i, 'name'], message: `arm name '${arm.name}' is used twice` });
      }
      armNames.add(arm.name);
      arm.mix.components.forEach((c, j) => {
        if (!(c.dataset in body.datasets)) {
          ctx.addIssue({
            code: 'custom',
            path: ['arms', i, 'mix', 'components', j, 'dataset'],
            message: `no dataset named '${c.dataset}' in spec.datasets (have: ${Object.keys(body.datasets).join(', ') || 'none'})`,
          });
        }
      });
    });
    body.arms.forEach((arm, i) => {
      const last = (arm.seed ?? body.seed) + body.replicates - 1;
      if (last > MAX_SEED) ctx.addIssue({ code: 'custom', path: ['arms', i, 'seed'], message: `replicates take seeds up to ${last}; seeds must be at most ${MAX_SEED}` });
    });
    // Replicate K of every arm uses seed + K − 1. Arms on one seed pair replicate K with K; arms whose
    // ranges overlap otherwise would share seeds across different K, and the per-seed differences the
    // report treats as independent would not be.
    if (body.replicates > 1) {
      // Generated arms all train on spec.seed; they come first, so a clash is reported on the listed arm.
      const all = [...(design?.arms ?? []).map((a) => ({ name: a.name, seed: body.seed, path: ['design'] as (string | number)[] })), ...body.arms.map((arm, i) => ({ name: arm.name, seed: arm.seed ?? body.seed, path: ['arms', i, 'seed'] as (string | number)[] }))];
      all.forEach((arm, i) => {
        const clash = all.findIndex((other, j) => j < i && other.seed !== arm.seed && Math.abs(other.seed - arm.seed) < body.replicates);
        if (clash >= 0) {
          const other = all[clash]!;
          ctx.addIssue({
            code: 'custom',
            path: arm.path,
            message: `replicates use seeds ${arm.seed}–${arm.seed + body.replicates - 1}, which overlap arm '${other.name}' (${other.seed}–${other.seed + body.replicates - 1}); give both arms the same seed, or seeds at least ${body.replicates} apart`,
          });
        }
      });
    }
    const armCount = body.arms.length + generated.size;
    if (armCount > MAX_ARMS) ctx.addIssue({ code: 'custom', path: body.design ? ['design'] : ['arms'], message: `${armCount} arms; at most ${MAX_ARMS}` });
    if (armCount * body.replicates > MAX_RUNS) {
      ctx.addIssue({ code: 'custom', path: ['replicates'], message: `${armCount} arms × ${body.replicates} replicates is ${armCount * body.replicates} training runs; at most ${MAX_RUNS}` });
    }
    if (body.persistence !== undefined) {
      body.persistence.attacks.forEach((attack, i) => {
        const ref = body.datasets[attack.dataset];
        if (ref === undefined) {
          ctx.addIssue({ code: 'custom', path: ['persistence', 'attacks', i, 'dataset'], message: `no dataset named '${attack.dataset}' in spec.datasets (have: ${Object.keys(body.datasets).join(', ') || 'none'})` });
        } else if (ref.format !== 'auto' && ref.format !== 'jsonl') {
          ctx.addIssue({ code: 'custom', path: ['datasets', attack.dataset, 'format'], message: `attack data is read as plain JSONL; '${ref.format}' is not supported for attacks` });
        } else if (/\.(gz|zst|parquet)$/i.test(ref.uri)) {
          ctx.addIssue({ code: 'custom', path: ['datasets', attack.dataset, 'uri'], message: 'attack data is read as plain JSONL; decompress or convert it first' });
        } else if (ref.uri === 'reference://regular' || ref.uri === 'reference://traits') {
          ctx.addIssue({ code: 'custom', path: ['persistence', 'attacks', i, 'dataset'], message: `'${attack.dataset}' is ${ref.uri}, training data; an attack needs attack conversations (reference://attack or a file)` });
        }
      });
      (body.persistence.arms ?? []).forEach((name, i) => {
        if (!armNames.has(name)) ctx.addIssue({ code: 'custom', path: ['persistence', 'arms', i], message: `no arm named '${name}'` });
      });
    }
    [...body.arms.flatMap((arm, i) => arm.mix.components.map((c, j) => ({ uri: body.datasets[c.dataset]?.uri, path: ['arms', i, 'mix', 'components', j, 'dataset'] }))),
      ...(body.design ? [...body.design.baseline.components.map((c, j) => ({ uri: body.datasets[c.dataset]?.uri, path: ['design', 'baseline', 'components', j, 'dataset'] })), { uri: body.datasets[body.design.traits.dataset]?.uri, path: ['design', 'traits', 'dataset'] }] : []),
    ].forEach(({ uri, path }) => {
      if (uri === 'reference://attack') ctx.addIssue({ code: 'custom', path, message: 'reference://attack is attack data; it cannot be mixed into training (use it in spec.persistence.attacks)' });
    });
    body.comparisons.forEach((cmp, i) => {
      for (const side of ['treatment', 'control'] as const) {
        if (!armNames.has(cmp[side])) {
          ctx.addIssue({ code: 'custom', path: ['comparisons', i, side], message: `no arm named '${cmp[side]}'` });
        }
      }
      if (cmp.treatment === cmp.control) {
        ctx.addIssue({ code: 'custom', path: ['comparisons', i], message: 'treatment and control must be different arms' });
      }
    });
    if (body.trainer.framework === 'reference' && body.trainer.algorithm === 'ppo') {
      ctx.addIssue({ code: 'custom', path: ['trainer', 'algorithm'], message: "the reference trainer runs 'grpo' or 'reinforce'; 'ppo' needs a real framework (verl or openrlhf)" });
    }
    if (body.trainer.framework !== 'reference' && !body.baseCheckpoint.startsWith('file:///')) {
      ctx.addIssue({ code: 'custom', path: ['baseCheckpoint'], message: `trainer.framework '${body.trainer.framework}' trains a real model: give its Hugging Face directory as 'file:///absolute/path'` });
    }
    // Only against a valid step count: a negative `steps` has its own error, and this one would be noise.
    if (Number.isInteger(body.trainer.steps) && body.trainer.steps > 0 && body.trainer.saveEvery > body.trainer.steps) {
      ctx.addIssue({ code: 'custom', path: ['trainer', 'saveEvery'], message: `must be at most trainer.steps (${body.trainer.steps})` });
    }
  });

/** An experiment spec as a user writes it (YAML or JSON). Unknown keys are errors. */
export const ExperimentSpec = z.strictObject({
  apiVersion: z.literal(API_VERSION, { message: `must be '${API_VERSION}'` }),
  kind: z.literal('Experiment', { message: "must be 'Experiment'" }),
  metadata: z.strictObject({
    name: Name,
    description: z.string().max(4000).optional(),
    labels: z.record(z.string().max(63), z.string().max(256)).optional(),
  }),
  spec: ExperimentBody,
});
/** The spec after parsing: zod defaults filled in. */
export type ExperimentSpec = z.infer<typeof ExperimentSpec>;
export type ExperimentSpecInput = z.input<typeof ExperimentSpec>;

/** A mix with every default made explicit. */
export const ResolvedMix = z.strictObject({
  totalRecords: z.number().int().positive(),
  seed: Seed,
  dedup: z.boolean(),
  decontaminate: z.strictObject({ ngram: z.number().int(), exclude: z.boolean() }).nullable(),
  output: z.strictObject({ formats: z.array(MixOutputFormat), shardBytes: z.number().int() }),
  components: z.array(
    z.strictObject({
      name: Name,
      dataset: Name,
      fraction: z.number().min(0).max(1).nullable(),
      count: z.number().int().min(0).nullable(),
      filter: ComponentFilter,
      upsample: z.strictObject({ maxFactor: z.number() }).nullable(),
    }),
  ),
});
export type ResolvedMix = z.infer<typeof ResolvedMix>;

/** Resolves a mix: names, seed, total (steps × batch unless given or fully counted), formats. */
export function resolveMix(mix: MixSpec, seed: number, defaultTotal: number): ResolvedMix {
  const counted = mix.components.reduce((s, c) => s + (c.count ?? 0), 0);
  const allCounted = mix.components.every((c) => c.count !== undefined);
  const formats = mix.output.formats.includes('jsonl') ? mix.output.formats : ['jsonl' as const, ...mix.output.formats];
  return {
    totalRecords: mix.totalRecords ?? (allCounted ? counted : defaultTotal),
    seed,
    dedup: mix.dedup,
    decontaminate: mix.decontaminate ?? null,
    output: { formats: [...new Set(formats)], shardBytes: mix.output.shardBytes },
    components: mix.components.map((c) => ({
      name: c.name ?? c.dataset,
      dataset: c.dataset,
      fraction: c.fraction ?? null,
      count: c.count ?? null,
      filter: c.filter ?? {},
      upsample: c.upsample ?? null,
    })),
  };
}

/** Adds the trainer's own export format to a mix's outputs, so the framework's shards exist without being asked for. */
function withTrainerFormat(mix: ResolvedMix, trainer: TrainerSpec): ResolvedMix {
  if (!isRealFramework(trainer) || mix.output.formats.includes(trainer.framework)) return mix;
  return { ...mix, output: { ...mix.output, formats: [...mix.output.formats, trainer.framework] } };
}

/** A run's name: the arm's, or `arm.rK` for replicate K (a dot cannot occur in an arm name, so no clash). */
export const RunName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}(\.r[0-9]{1,2})?$/, "must be an arm name, optionally followed by '.rK'");

/**
 * One training run: an arm, or one replicate of it. `arm` is the declared arm (what comparisons name),
 * `replicate` counts from 1. Without replicates `name` equals `arm`.
 */
export const ResolvedArm = z.strictObject({
  name: RunName,
  arm: Name,
  replicate: z.number().int().min(1),
  description: z.string().optional(),
  seed: Seed,
  mix: ResolvedMix,
  /** Arms a design generated: their role in it and their share of trait data. */
  design: z.strictObject({ role: z.enum(['baseline', 'traits', 'fraction', 'domain-holdout', 'trait-subset']), traitFraction: z.number().min(0).max(1) }).optional(),
});
export type ResolvedArm = z.infer<typeof ResolvedArm>;

/** `spec.persistence` as locked at launch: the pressure conditions in full, every stressed arm named. */
export interface ResolvedPersistence {
  readonly benchmarks: string[];
  readonly steering: string[];
  /** By level, level 0 first. */
  readonly pressure: PressureCondition[];
  readonly attacks: { name: string; dataset: string; steps: number[]; batchSize: number; learningRate: number | null }[];
  readonly arms: string[];
}

/**
 * The analysis as locked at launch: the headline family is the list of benchmark refs it resolved to
 * (from the declared categories or list, the evaluated benchmarks and the primary metrics).
 */
export type ResolvedAnalysis = Omit<AnalysisSpec, 'headlineBenchmarks' | 'headlineCategories'> & {
  /** As declared; null when the spec listed benchmarks instead. */
  headlineCategories: BenchmarkCategory[] | null;
  /** Locked at launch. */
  headlineBenchmarks: string[];
};

/** What is stored, hashed and run: every default resolved, nothing left implicit. */
export type ResolvedExperimentSpec = Omit<ExperimentSpec, 'spec'> & {
  spec: Omit<ExperimentSpec['spec'], 'arms' | 'analysis' | 'persistence'> & {
    arms: ResolvedArm[];
    analysis: ResolvedAnalysis;
    /** From the design's fraction sweep; null without one (and in specs stored before designs). */
    doseResponse?: ExpandedDesign['doseResponse'];
    persistence?: ResolvedPersistence | null;
  };
};

/**
 * Locks the headline family: the declared benchmarks, or the evaluated benchmarks in the declared
 * (or default safety) categories whose metric is primary. `evaluated` are the benchmarks the
 * experiment evaluates, as locked at launch.
 */
export function lockAnalysis(analysis: AnalysisSpec, evaluated: readonly { ref: string; category: BenchmarkCategory; metric: string }[]): ResolvedAnalysis {
  const { headlineBenchmarks, headlineCategories, ...rest } = analysis;
  if (headlineBenchmarks !== undefined) return { ...rest, headlineCategories: null, headlineBenchmarks: [...headlineBenchmarks] };
  const categories = headlineCategories ?? [...DEFAULT_HEADLINE_CATEGORIES];
  const primary = (metric: string) => analysis.primaryMetrics.length === 0 || analysis.primaryMetrics.includes(metric);
  return {
    ...rest,
    headlineCategories: categories,
    headlineBenchmarks: evaluated.filter((b) => categories.includes(b.category) && primary(b.metric)).map((b) => b.ref),
  };
}

/** Every arm of a spec, listed ones after generated ones, with the design role of each generated one. */
export function specArms(body: ExperimentSpec['spec']): { arm: ArmSpec; design?: { role: DesignRole; traitFraction: number } }[] {
  const design = body.design === undefined ? null : expandDesign(body.design);
  return [
    ...(design?.arms ?? []).map((a) => ({
      arm: ArmSpec.parse({ name: a.name, description: a.description, mix: a.mix }),
      design: { role: a.role, traitFraction: a.traitFraction },
    })),
    ...body.arms.map((arm) => ({ arm })),
  ];
}

/**
 * Fills in the defaults that depend on other fields. Pure; the input must already be parsed.
 * `pressure` is the registry of pressure conditions, needed only when the spec has `persistence`.
 */
export function resolveExperimentSpec(
  parsed: ExperimentSpec,
  evaluated: readonly { ref: string; category: BenchmarkCategory; metric: string }[] = [],
  pressure: readonly PressureCondition[] = [],
): ResolvedExperimentSpec {
  const { persistence, ...body } = parsed.spec;
  const design = body.design === undefined ? null : expandDesign(body.design);
  const listed = new Set(body.comparisons.map((c) => `${c.treatment}\u0000${c.control}`));
  const arms = specArms(parsed.spec);
  return {
    ...parsed,
    spec: {
      ...body,
      analysis: lockAnalysis(body.analysis, evaluated),
      comparisons: [...body.comparisons, ...(design?.comparisons ?? []).filter((c) => !listed.has(`${c.treatment}\u0000${c.control}`))],
      doseResponse: design?.doseResponse ?? null,
      persistence: persistence === undefined ? null : resolvePersistence(persistence, arms.map((a) => a.arm.name), pressure),
      arms: arms.flatMap(({ arm, design: role }) =>
        Array.from({ length: body.replicates }, (_, k) => {
          const seed = (arm.seed ?? body.seed) + k;
          return {
            name: body.replicates === 1 ? arm.name : `${arm.name}.r${k + 1}`,
            arm: arm.name,
            replicate: k + 1,
            ...(arm.description === undefined ? {} : { description: arm.description }),
            seed,
            mix: withTrainerFormat(resolveMix(arm.mix, seed, body.trainer.steps * body.trainer.batchSize), body.trainer),
            ...(role === undefined ? {} : { design: role }),
          };
        }),
      ),
    },
  };
}

/** The registered conditions a persistence spec names (default: all), by level; unknown refs are the launch's to report. */
function resolvePersistence(p: PersistenceSpec, armNames: readonly string[], registry: readonly PressureCondition[]): ResolvedPersistence {
  const byRef = new Map(registry.map((c) => [`${c.id}@${c.version}`, c]));
  const chosen = p.pressure === undefined ? [...registry] : p.pressure.flatMap((ref) => (byRef.has(ref) ? [byRef.get(ref)!] : []));
  return {
    benchmarks: [...p.benchmarks],
    steering: [...p.steering],
    pressure: chosen.sort((a, b) => a.level - b.level),
    attacks: p.attacks.map((a) => ({ name: a.name, dataset: a.dataset, steps: [...a.steps], batchSize: a.batchSize, learningRate: a.learningRate ?? null })),
    arms: p.arms === undefined ? [...armNames] : [...p.arms],
  };
}

/**
 * The cross-references a spec makes (mix components → datasets), checked on raw input so they are
 * reported together with other errors; zod runs the same check in `ExperimentBody` only once every
 * field is well-formed.
 */
export function specReferenceIssues(raw: unknown): { path: string; message: string }[] {
  const body = (raw as { spec?: { datasets?: unknown; arms?: unknown } } | null)?.spec;
  if (!body || typeof body !== 'object') return [];
  const datasets = body.datasets && typeof body.datasets === 'object' ? Object.keys(body.datasets) : [];
  const issues: { path: string; message: string }[] = [];
  (Array.isArray(body.arms) ? body.arms : []).forEach((arm: unknown, i: number) => {
    const components = (arm as { mix?: { components?: unknown } } | null)?.mix?.components;
    (Array.isArray(components) ? components : []).forEach((c: unknown, j: number) => {
      const name = (c as { dataset?: unknown } | null)?.dataset;
      if (typeof name === 'string' && !datasets.includes(name)) {
        issues.push({
          path: `spec.arms.${i}.mix.components.${j}.dataset`,
          message: `no dataset named '${name}' in spec.datasets (have: ${datasets.join(', ') || 'none'})`,
        });
      }
    });
  });
  return issues;
}

/** The `file://` dataset URIs of a raw spec, by dataset name, for existence checks. */
export function specDatasetUris(raw: unknown): [string, string][] {
  const datasets = (raw as { spec?: { datasets?: unknown } } | null)?.spec?.datasets;
  if (!datasets || typeof datasets !== 'object') return [];
  return Object.entries(datasets as Record<string, unknown>).flatMap(([name, ref]) => {
    const uri = (ref as { uri?: unknown } | null)?.uri;
    return typeof uri === 'string' ? [[name, uri] as [string, string]] : [];
  });
}

/**
 * A standalone mix (`ballast mix preview|build|show`): datasets plus one mix, outside any experiment.
 */
export const MixDocument = z.strictObject({
  apiVersion: z.literal(API_VERSION, { message: `must be '${API_VERSION}'` }),
  kind: z.literal('Mix', { message: "must be 'Mix'" }),
  metadata: z.strictObject({ name: Name, description: z.string().max(4000).optional() }),
  spec: z
    .strictObject({
      seed: Seed.default(0),
      datasets: z.record(Name, DatasetRef),
      mix: MixSpec,
    })
    .superRefine((body, ctx) => {
      body.mix.components.forEach((c, j) => {
        if (!(c.dataset in body.datasets)) {
          ctx.addIssue({
            code: 'custom',
            path: ['mix', 'components', j, 'dataset'],
            message: `no dataset named '${c.dataset}' in spec.datasets (have: ${Object.keys(body.datasets).join(', ') || 'none'})`,
          });
        }
      });
      const needsTotal = body.mix.components.some((c) => c.fraction !== undefined);
      if (needsTotal && body.mix.totalRecords === undefined) {
        ctx.addIssue({ code: 'custom', path: ['mix', 'totalRecords'], message: 'is required when a component has a fraction' });
      }
    }),
});
export type MixDocument = z.infer<typeof MixDocument>;

export function resolveMixDocument(doc: MixDocument): ResolvedMix {
  return resolveMix(doc.spec.mix, doc.spec.seed, doc.spec.mix.totalRecords ?? 0);
}
