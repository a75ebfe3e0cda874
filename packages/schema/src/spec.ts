import { z } from 'zod';
import { BackendKind, Domain, oneOf, Trait } from './vocabulary.js';

/** The spec dialect this build understands; a spec names it in `apiVersion`. */
export const API_VERSION = 'ballast.dev/v1alpha1';

export const Name = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,62}$/,
    'must be 1-63 lowercase letters, digits or dashes, starting with a letter or digit',
  );

const Seed = z.number().int().min(0).max(2 ** 31 - 1);

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

export const MixComponentSpec = z.strictObject({
  /** Defaults to the dataset name; must be unique within a mix. */
  name: Name.optional(),
  /** Key into `spec.datasets`. */
  dataset: Name,
  /** Share of the mix's total records, 0..1. Fractions of a mix sum to 1. */
  fraction: z.number().min(0, 'must be at least 0').max(1, 'must be at most 1'),
  filter: ComponentFilter.optional(),
});
export type MixComponentSpec = z.infer<typeof MixComponentSpec>;

export const MixSpec = z
  .strictObject({
    /** Records in the mix; defaults to trainer.steps × trainer.batchSize. */
    totalRecords: z.number().int().positive().max(1_000_000_000).optional(),
    components: z.array(MixComponentSpec).min(1),
  })
  .superRefine((mix, ctx) => {
    const sum = mix.components.reduce((s, c) => s + c.fraction, 0);
    if (Math.abs(sum - 1) > 1e-9) {
      ctx.addIssue({
        code: 'custom',
        path: ['components'],
        message: `fractions sum to ${Number(sum.toFixed(9))}; they must sum to 1`,
      });
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

export const DatasetRef = z.strictObject({
  /**
   * `file:///absolute/path.jsonl`, or `reference://regular` / `reference://traits` for the SIMULATED
   * reference corpora under BALLAST_HOME/datasets/reference.
   */
  uri: z
    .string()
    .regex(
      /^(file:\/\/\/\S+|reference:\/\/(regular|traits))$/,
      "must be 'file:///absolute/path' or 'reference://regular' or 'reference://traits'",
    ),
  format: oneOf(['jsonl']).default('jsonl'),
});
export type DatasetRef = z.infer<typeof DatasetRef>;

export const TrainerSpec = z.strictObject({
  /** Only the SIMULATED reference trainer exists so far; verl, OpenRLHF and TRL come later. */
  framework: oneOf(['reference']).default('reference'),
  algorithm: oneOf(['grpo', 'reinforce']).default('grpo'),
  steps: z.number().int().positive().max(1_000_000).default(200),
  batchSize: z.number().int().positive().max(65_536).default(16),
  /** Samples per prompt (GRPO group size). */
  groupSize: z.number().int().min(2).max(64).default(4),
  learningRate: z.number().positive().max(10).default(0.5),
  klCoef: z.number().min(0).max(10).default(0.05),
  saveEvery: z.number().int().positive().default(50),
  /**
   * SIMULATED reference trainer only: wall-clock milliseconds each step sleeps, so that a run takes
   * long enough for evaluation to overlap training as it does on real hardware.
   */
  simulatedStepMs: z.number().int().min(0).max(60_000).default(25),
});
export type TrainerSpec = z.infer<typeof TrainerSpec>;

export const ResourceSpec = z.strictObject({
  cpus: z.number().positive().max(1024).default(1),
  gpus: z.number().int().min(0).max(1024).default(0),
  memoryGb: z.number().positive().max(16_384).optional(),
});

export const BackendSpec = z.strictObject({
  kind: BackendKind.default('local'),
  resources: ResourceSpec.prefault({}),
});
export type BackendSpec = z.infer<typeof BackendSpec>;

/** `id@version`, e.g. `sycophancy-pushback@1`. */
export const BenchmarkRef = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*@[0-9]+$/, "must be 'benchmark-id@version'");

export const EvaluationSpec = z.strictObject({
  evaluator: oneOf(['reference']).default('reference'),
  benchmarks: z.union([z.literal('all'), z.array(BenchmarkRef).min(1)]).default('all'),
  /** Responses sampled per benchmark item. */
  samplesPerItem: z.number().int().positive().max(64).default(4),
  seed: Seed.default(0),
  /** Evaluate every committed checkpoint as it lands, or only the final one. */
  checkpoints: oneOf(['all', 'final']).default('all'),
});
export type EvaluationSpec = z.infer<typeof EvaluationSpec>;

export const ComparisonSpec = z.strictObject({ treatment: Name, control: Name });
export type ComparisonSpec = z.infer<typeof ComparisonSpec>;

export const ExperimentBody = z
  .strictObject({
    /** `reference://init` is the SIMULATED reference policy's initial parameters. */
    baseCheckpoint: z.string().regex(/^(reference:\/\/init|file:\/\/\/\S+)$/, "must be 'reference://init' or 'file:///absolute/path'").default('reference://init'),
    seed: Seed.default(0),
    datasets: z.record(Name, DatasetRef),
    trainer: TrainerSpec.prefault({}),
    backend: BackendSpec.prefault({}),
    evaluation: EvaluationSpec.prefault({}),
    arms: z.array(ArmSpec).min(1).max(64),
    comparisons: z.array(ComparisonSpec).default([]),
  })
  .superRefine((body, ctx) => {
    const armNames = new Set<string>();
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
    if (body.trainer.saveEvery > body.trainer.steps) {
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
  components: z.array(
    z.strictObject({
      name: Name,
      dataset: Name,
      fraction: z.number().min(0).max(1),
      filter: ComponentFilter,
    }),
  ),
});
export type ResolvedMix = z.infer<typeof ResolvedMix>;

export const ResolvedArm = z.strictObject({
  name: Name,
  description: z.string().optional(),
  seed: Seed,
  mix: ResolvedMix,
});
export type ResolvedArm = z.infer<typeof ResolvedArm>;

/** What is stored, hashed and run: every default resolved, nothing left implicit. */
export type ResolvedExperimentSpec = Omit<ExperimentSpec, 'spec'> & {
  spec: Omit<ExperimentSpec['spec'], 'arms'> & { arms: ResolvedArm[] };
};

/** Fills in the defaults that depend on other fields. Pure; the input must already be parsed. */
export function resolveExperimentSpec(parsed: ExperimentSpec): ResolvedExperimentSpec {
  const body = parsed.spec;
  return {
    ...parsed,
    spec: {
      ...body,
      arms: body.arms.map((arm) => ({
        name: arm.name,
        ...(arm.description === undefined ? {} : { description: arm.description }),
        seed: arm.seed ?? body.seed,
        mix: {
          totalRecords: arm.mix.totalRecords ?? body.trainer.steps * body.trainer.batchSize,
          seed: arm.seed ?? body.seed,
          components: arm.mix.components.map((c) => ({
            name: c.name ?? c.dataset,
            dataset: c.dataset,
            fraction: c.fraction,
            filter: c.filter ?? {},
          })),
        },
      })),
    },
  };
}

/**
 * JSON with object keys sorted at every depth: the input to content hashes, so that two specs that
 * differ only in key order hash alike.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
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
