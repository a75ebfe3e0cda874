import { z } from 'zod';
import { Domain, Trait } from './vocabulary.js';

/**
 * An experiment's design (`spec.design`): a baseline and the factors that generate arms from it, so a
 * study's ablations are one object instead of a hand-written list. One factor varies at a time around
 * the main trait arm (the study's ablations), never a full crossing:
 *
 * - the baseline arm: `baseline.mix` as written (no trait data);
 * - the main trait arm: the baseline's components scaled by (1 − f), plus `traits.dataset` at share f;
 * - a sweep arm per extra fraction in `fractions` (dose–response);
 * - a domain hold-out arm per `domains` entry, at the main fraction, its trait data filtered by domain;
 * - a trait-subset arm per `traitSubsets` entry, at the main fraction, its trait data filtered by trait.
 *
 * Every generated arm is compared with the baseline. Generated names: `<traits.name>-<pct>` for fractions
 * (`traits-5pct`, `traits-0-5pct`), and the hold-out's or subset's own name. Pure and dependency-free:
 * the schema resolves it, and the CLI's dry run prints what it resolved to.
 */

const Name = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be 1-63 lowercase letters, digits or dashes, starting with a letter or digit');
const TraitFraction = z.number().gt(0, 'must be above 0').max(0.5, 'must be at most 0.5');

const Selection = <T extends z.ZodType<string>>(value: T) =>
  z
    .strictObject({
      name: Name,
      description: z.string().max(2000).optional(),
      in: z.array(value).min(1).optional(),
      notIn: z.array(value).min(1).optional(),
    })
    .refine((s) => (s.in === undefined) !== (s.notIn === undefined), { message: "give exactly one of 'in' or 'notIn'" });

export const DesignSpec = z.strictObject({
  baseline: z.strictObject({
    name: Name.default('baseline'),
    description: z.string().max(2000).optional(),
    /** Key into `spec.datasets` for each component; every component must use a `fraction`. */
    components: z
      .array(
        z.strictObject({
          dataset: Name,
          name: Name.optional(),
          fraction: z.number().gt(0).max(1),
          filter: z
            .strictObject({
              trait: z.strictObject({ in: z.array(Trait).min(1).optional(), notIn: z.array(Trait).min(1).optional() }).optional(),
              domain: z.strictObject({ in: z.array(Domain).min(1).optional(), notIn: z.array(Domain).min(1).optional() }).optional(),
              kind: z.strictObject({ in: z.array(z.enum(['regular', 'trait'])).min(1).optional(), notIn: z.array(z.enum(['regular', 'trait'])).min(1).optional() }).optional(),
            })
            .optional(),
        }),
      )
      .min(1),
    /** Records in every arm's mix (compute matching); default trainer.steps × trainer.batchSize. */
    totalRecords: z.number().int().positive().max(1_000_000_000).optional(),
  }),
  traits: z.strictObject({
    /** Key into `spec.datasets`: where trait conversations come from (records with kind 'trait' are drawn). */
    dataset: Name,
    /** Prefix of the generated fraction arms' names. */
    name: Name.default('traits'),
    /** The main trait arm's share of the mix (the study's 5%). */
    fraction: TraitFraction.default(0.05),
  }),
  /** Extra trait shares, each its own arm (the dose–response sweep); the main fraction joins the sweep. */
  fractions: z.array(TraitFraction).max(16).default([]),
  /** Domain hold-outs at the main fraction (e.g. health-only: in [healthcare]; no-health: notIn [healthcare]). */
  domains: z.array(Selection(Domain)).max(16).default([]),
  /** Trait subsets at the main fraction (e.g. honesty-only: in [honesty]). */
  traitSubsets: z.array(Selection(Trait)).max(16).default([]),
});
export type DesignSpec = z.infer<typeof DesignSpec>;

/** What a design generates, before replicates: arms as `spec.arms` would list them, and the comparisons. */
export interface ExpandedDesign {
  readonly arms: {
    name: string;
    description: string;
    mix: {
      totalRecords?: number;
      components: { name: string; dataset: string; fraction: number; filter?: Record<string, { in?: string[]; notIn?: string[] }> }[];
    };
    /** The share of trait data; 0 for the baseline. */
    traitFraction: number;
    role: DesignRole;
  }[];
  readonly comparisons: { treatment: string; control: string }[];
  /** The baseline (fraction 0) and the fraction arms, for the dose–response trend; null without a sweep. */
  readonly doseResponse: { control: string; arms: { arm: string; fraction: number }[] } | null;
}

export const DESIGN_ROLES = ['baseline', 'traits', 'fraction', 'domain-holdout', 'trait-subset'] as const;
export type DesignRole = (typeof DESIGN_ROLES)[number];

/** `0.05` → `5pct`, `0.005` → `0-5pct`, `0.125` → `12-5pct`. */
export function fractionLabel(fraction: number): string {
  const pct = Number((fraction * 100).toFixed(2));
  return `${String(pct).replace('.', '-')}pct`;
}

function percent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(2))}%`;
}

/** The arms, comparisons and dose–response set a design generates (one factor at a time around the main trait arm). */
export function expandDesign(design: DesignSpec): ExpandedDesign {
  const base = design.baseline;
  const traitArm = (name: string, fraction: number, role: DesignRole, description: string, filter: Record<string, { in?: string[]; notIn?: string[] }> = {}) => ({
    name,
    description,
    traitFraction: fraction,
    role,
    mix: {
      ...(base.totalRecords === undefined ? {} : { totalRecords: base.totalRecords }),
      components: [
        ...base.components.map((c) => ({
          name: c.name ?? c.dataset,
          dataset: c.dataset,
          fraction: c.fraction * (1 - fraction),
          ...(c.filter === undefined ? {} : { filter: c.filter as Record<string, { in?: string[]; notIn?: string[] }> }),
        })),
        { name: design.traits.name, dataset: design.traits.dataset, fraction, filter: { kind: { in: ['trait'] }, ...filter } },
      ],
    },
  });
  const main = design.traits.fraction;
  const sweep = [...new Set([main, ...design.fractions])].sort((a, b) => a - b);
  const arms: ExpandedDesign['arms'][number][] = [
    {
      name: base.name,
      description: base.description ?? 'baseline: no trait data',
      traitFraction: 0,
      role: 'baseline',
      mix: {
        ...(base.totalRecords === undefined ? {} : { totalRecords: base.totalRecords }),
        components: base.components.map((c) => ({
          name: c.name ?? c.dataset,
          dataset: c.dataset,
          fraction: c.fraction,
          ...(c.filter === undefined ? {} : { filter: c.filter as Record<string, { in?: string[]; notIn?: string[] }> }),
        })),
      },
    },
    ...sweep.map((f) =>
      traitArm(`${design.traits.name}-${fractionLabel(f)}`, f, f === main ? 'traits' : 'fraction', `${percent(f)} trait data from '${design.traits.dataset}', every trait and domain`),
    ),
    ...design.domains.map((d) =>
      traitArm(d.name, main, 'domain-holdout', d.description ?? `${percent(main)} trait data, domains ${d.in ? `only ${d.in.join(', ')}` : `except ${d.notIn!.join(', ')}`}`, {
        domain: d.in ? { in: [...d.in] } : { notIn: [...d.notIn!] },
      }),
    ),
    ...design.traitSubsets.map((t) =>
      traitArm(t.name, main, 'trait-subset', t.description ?? `${percent(main)} trait data, traits ${t.in ? `only ${t.in.join(', ')}` : `except ${t.notIn!.join(', ')}`}`, {
        trait: t.in ? { in: [...t.in] } : { notIn: [...t.notIn!] },
      }),
    ),
  ];
  // Scaling by (1 − f) can leave a sum a hair off 1 in floating point; the last component absorbs it.
  for (const arm of arms) {
    const components = arm.mix.components;
    const rest = components.slice(0, -1).reduce((s, c) => s + c.fraction, 0);
    const last = components[components.length - 1]!;
    if (Math.abs(rest + last.fraction - 1) < 1e-9) last.fraction = Number((1 - rest).toFixed(12));
  }
  return {
    arms,
    comparisons: arms.slice(1).map((a) => ({ treatment: a.name, control: base.name })),
    doseResponse: sweep.length >= 2 ? { control: base.name, arms: sweep.map((f) => ({ arm: `${design.traits.name}-${fractionLabel(f)}`, fraction: f })) } : null,
  };
}

/** Problems a design has on its own (the schema adds those against the rest of the spec). */
export function designIssues(design: DesignSpec): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const sum = design.baseline.components.reduce((s, c) => s + c.fraction, 0);
  if (Math.abs(sum - 1) > 1e-9) issues.push({ path: ['baseline', 'components'], message: `fractions sum to ${Number(sum.toFixed(9))}; they must sum to 1` });
  const seen = new Map<string, string>();
  const claim = (name: string, path: (string | number)[]) => {
    const other = seen.get(name);
    if (other !== undefined) issues.push({ path, message: `generates arm '${name}', which ${other} also generates; give it another name` });
    else seen.set(name, path.join('.'));
  };
  claim(design.baseline.name, ['baseline', 'name']);
  const componentNames = new Set<string>([design.traits.name]);
  design.baseline.components.forEach((c, i) => {
    const name = c.name ?? c.dataset;
    if (componentNames.has(name)) issues.push({ path: ['baseline', 'components', i, 'name'], message: `component name '${name}' is used twice (the trait component is named '${design.traits.name}'); give each component a distinct name` });
    componentNames.add(name);
  });
  const generatedName = [design.traits.fraction, ...design.fractions].map((f) => `${design.traits.name}-${fractionLabel(f)}`).sort((a, b) => b.length - a.length)[0]!;
  if (generatedName.length > 63) issues.push({ path: ['traits', 'name'], message: `generates arm name '${generatedName}' (${generatedName.length} characters); names are at most 63` });
  const fractions = [design.traits.fraction, ...design.fractions];
  if (new Set(design.fractions).size !== design.fractions.length) issues.push({ path: ['fractions'], message: 'lists a fraction twice' });
  for (const [i, f] of [...new Set(fractions)].entries()) claim(`${design.traits.name}-${fractionLabel(f)}`, i === 0 ? ['traits', 'fraction'] : ['fractions', design.fractions.indexOf(f)]);
  design.domains.forEach((d, i) => claim(d.name, ['domains', i, 'name']));
  design.traitSubsets.forEach((t, i) => claim(t.name, ['traitSubsets', i, 'name']));
  const mayHoldTraits = (kind: { in?: string[] | undefined; notIn?: string[] | undefined } | undefined) =>
    !(kind?.notIn?.includes('trait') ?? false) && (kind?.in === undefined || kind.in.includes('trait'));
  if (design.baseline.components.some((c) => c.dataset === design.traits.dataset && mayHoldTraits(c.filter?.kind))) {
    issues.push({
      path: ['baseline', 'components'],
      message: `draws from '${design.traits.dataset}', the trait dataset, without excluding kind 'trait'; a baseline must have no trait data (filter: { kind: { notIn: [trait] } })`,
    });
  }
  return issues;
}
