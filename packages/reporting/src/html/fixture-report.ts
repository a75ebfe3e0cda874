// A realistic, schema-valid report for the HTML renderer's tests and for looking at the page: two
// comparisons × 55 benchmarks over every category, some with insufficient data, non-inferiority on
// helpfulness and capability, four-step curves and a generalisation matrix. The numbers are made up (a
// small LCG, so every run gives the same page); the statistics are simplified stand-ins for the real
// report builder's, which these tests do not depend on. The dose–response and persistence sections are the
// exception: fixture-sections.ts builds them with the real section builders from synthetic sweeps.
import { BENCHMARK_CATEGORIES, Report } from '@ballast/schema';
import { fixtureDoseResponse, fixturePersistence } from './fixture-sections.js';
import type {
  BenchmarkCategory,
  BenchmarkComparison,
  BenchmarkVerdict,
  ComparisonReport,
  GeneralisationCell,
  InsufficientReason,
  ReportArm,
  VerdictCounts,
} from '@ballast/schema';

export interface FixtureOptions {
  /** Seeds per arm: 3 (the default) gives hierarchical-bootstrap intervals over seeds and items; 1 gives item-level t intervals that cover items only. */
  seedsPerArm?: number;
  /** The dose–response and selective-persistence sections and a reused baseline run (default true); false gives a report without them, as older reports are. */
  sections?: boolean;
}

const BENCHMARKS: Record<BenchmarkCategory, readonly string[]> = {
  deception: ['deception/insider-trading', 'deception/sandbagging-probe', 'deception/strategic-lying', 'deception/hidden-agenda-qa', 'deception/self-report-audit'],
  honesty: ['honesty/truthfulqa-mc2', 'honesty/mask-consistency', 'honesty/factual-admission', 'honesty/uncertainty-disclosure', 'honesty/lie-detection'],
  sycophancy: ['sycophancy/opinion-flip', 'sycophancy/feedback-inflation', 'sycophancy/answer-switch', 'sycophancy/political-mirror', 'sycophancy/are-you-sure'],
  reward_hacking: ['reward-hacking/test-special-casing', 'reward-hacking/metric-gaming', 'reward-hacking/unit-test-tamper', 'reward-hacking/shortcut-code', 'reward-hacking/grader-exploit'],
  specification_compliance: ['spec/instruction-hierarchy', 'spec/format-constraints', 'spec/system-prompt-adherence', 'spec/refusal-boundaries', 'spec/tool-policy'],
  health_mental_health: ['health/crisis-response', 'health/medication-safety', 'health/eating-disorder-care', 'health/self-harm-escalation', 'health/clinical-advice-limits'],
  fairness: ['fairness/bbq-ambiguous', 'fairness/hiring-audit', 'fairness/loan-decisions', 'fairness/stereotype-agreement', 'fairness/dialect-parity'],
  corrigibility: ['corrigibility/shutdown-acceptance', 'corrigibility/oversight-preservation', 'corrigibility/goal-modification', 'corrigibility/self-exfiltration', 'corrigibility/deference'],
  calibration: ['calibration/brier-trivia', 'calibration/ece-science', 'calibration/verbalised-confidence', 'calibration/abstention-tradeoff', 'calibration/overconfidence-math'],
  helpfulness: ['helpfulness/mt-bench-lite', 'helpfulness/alpaca-winrate', 'helpfulness/task-completion', 'helpfulness/refusal-overreach', 'helpfulness/long-form-quality'],
  capability: ['capability/gsm8k', 'capability/mmlu-pro', 'capability/humaneval', 'capability/arc-challenge', 'capability/hellaswag'],
};

const DOMAINS = ['healthcare', 'education', 'science', 'law', 'engineering', 'economics', 'business', 'journalism', 'public_policy', 'personal_finance'];
const HEADLINE_CATEGORIES: readonly BenchmarkCategory[] = BENCHMARK_CATEGORIES.filter((c) => c !== 'helpfulness' && c !== 'capability');
const NI_MARGINS: Partial<Record<BenchmarkCategory, number>> = { helpfulness: 0.02, capability: 0.01 };
const STEPS = [250, 500, 750, 1000];
const ALPHA = 0.05;

const CONDITIONS = [
  { treatment: 'traits-5', control: 'baseline', trainedDomains: ['healthcare', 'education', 'science', 'law', 'engineering'], strength: 1 },
  { treatment: 'traits-honesty', control: 'baseline', trainedDomains: ['science', 'economics'], strength: 0.55 },
] as const;

/** Insufficient-data benchmarks per comparison: [index into the 55, reason, detail, whether Δ exists]. */
const INSUFFICIENT: ReadonlyArray<ReadonlyArray<readonly [number, InsufficientReason, string, boolean]>> = [
  [
    [7, 'too_few_items', '12 paired items; at least 20 are needed for an item-level interval', false],
    [27, 'too_few_clusters', '4 conversation clusters; at least 10 are needed for a cluster-robust interval', true],
    [46, 'no_variance', 'every paired difference is 0: both arms answered every item alike', false],
  ],
  [
    [7, 'too_few_items', '12 paired items; at least 20 are needed for an item-level interval', false],
    [38, 'too_few_seeds', 'one seed pair finished; seed-level intervals need at least 2', true],
  ],
];

/** A tiny LCG (Numerical Recipes constants): deterministic, and enough for made-up numbers. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function normalCdf(z: number): number {
  // Abramowitz & Stegun 7.1.26 (error below 1.5e-7): plenty for a fixture.
  const t = 1 / (1 + (0.3275911 * Math.abs(z)) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(z * z) / 2);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Two-sided p of a t statistic: exact for 1 and 2 df, a close normal approximation above. */
function twoSidedP(t: number, df: number): number {
  const a = Math.abs(t);
  if (df <= 1) return 1 - (2 / Math.PI) * Math.atan(a);
  if (df <= 2) return 1 - a / Math.sqrt(2 + a * a);
  return 2 * (1 - normalCdf((a * (1 - 1 / (4 * df))) / Math.sqrt(1 + (a * a) / (2 * df))));
}

/** Upper t quantiles at 0.975 and 0.95, tabulated for small df and approximated above. */
function tQuantile(df: number, oneSided: boolean): number {
  const table975 = [12.706, 4.303, 3.182, 2.776];
  const table95 = [6.314, 2.92, 2.353, 2.132];
  if (df <= 4) return (oneSided ? table95 : table975)[Math.max(0, Math.round(df) - 1)]!;
  return oneSided ? 1.645 + 1.6 / df : 1.96 + 2.4 / df;
}

function verdictOf(low: number, high: number): BenchmarkVerdict {
  return low > 0 ? 'improved' : high < 0 ? 'regressed' : 'no_change';
}

function holm(p: readonly number[]): number[] {
  const order = p.map((_, i) => i).sort((a, b) => p[a]! - p[b]!);
  const out = new Array<number>(p.length);
  let running = 0;
  order.forEach((index, rank) => {
    running = Math.max(running, Math.min(1, (p.length - rank) * p[index]!));
    out[index] = running;
  });
  return out;
}

function benjaminiHochberg(p: readonly number[]): number[] {
  const order = p.map((_, i) => i).sort((a, b) => p[b]! - p[a]!);
  const out = new Array<number>(p.length);
  let running = 1;
  order.forEach((index, k) => {
    const rank = p.length - k;
    running = Math.min(running, (p.length / rank) * p[index]!);
    out[index] = running;
  });
  return out;
}

function counts(verdicts: readonly BenchmarkVerdict[]): VerdictCounts {
  const n = (v: BenchmarkVerdict) => verdicts.filter((x) => x === v).length;
  return { improved: n('improved'), noChange: n('no_change'), regressed: n('regressed'), insufficient: n('insufficient_data'), total: verdicts.length };
}

function wilson(k: number, n: number): [number, number] {
  if (n === 0) return [0, 1];
  const z = 1.959964;
  const p = k / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = ((z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n)));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Inverse-variance pooled mean of standardised effects with a normal 95% interval (a stand-in for DL). */
function pooled(effects: ReadonlyArray<{ d: number; v: number }>): { mean: number; se: number; tau2: number; i2: number; q: number } {
  const w = effects.map((e) => 1 / e.v);
  const sw = w.reduce((a, b) => a + b, 0);
  const fixedMean = effects.reduce((s, e, i) => s + w[i]! * e.d, 0) / sw;
  const q = effects.reduce((s, e, i) => s + w[i]! * (e.d - fixedMean) ** 2, 0);
  const c = sw - w.reduce((s, x) => s + x * x, 0) / sw;
  const tau2 = Math.max(0, (q - (effects.length - 1)) / c);
  const ws = effects.map((e) => 1 / (e.v + tau2));
  const sws = ws.reduce((a, b) => a + b, 0);
  const mean = effects.reduce((s, e, i) => s + ws[i]! * e.d, 0) / sws;
  const i2 = q > effects.length - 1 ? (q - (effects.length - 1)) / q : 0;
  return { mean, se: Math.sqrt(1 / sws), tau2, i2, q };
}

const hex = (random: () => number, length: number) => Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');

/** The fixture report, parsed with `Report.parse` so that it is schema-valid by construction. */
export function fixtureReport(options: FixtureOptions = {}): Report {
  const seeds = options.seedsPerArm ?? 3;
  const sections = options.sections ?? true;
  const covers = seeds > 1 ? 'seeds-and-items' : 'items';
  const random = lcg(20_240_601);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const catalogue = BENCHMARK_CATEGORIES.flatMap((category) => BENCHMARKS[category].map((benchmark) => ({ category, benchmark })));

  const arms: ReportArm[] = ['baseline', ...CONDITIONS.map((c) => c.treatment)].map((name) => ({
    name,
    trainedDomains: CONDITIONS.find((c) => c.treatment === name)?.trainedDomains.slice() ?? [],
    replicates: Array.from({ length: seeds }, (_, r) => {
      const tokens = 31_457_280 + Math.round((random() - 0.5) * 400_000);
      const traitRecords = name === 'baseline' ? 0 : 9_600;
      return {
        run: seeds > 1 ? `${name}.r${r + 1}` : name,
        seed: 11 + r,
        checkpoint: `ckpt_${hex(random, 12)}`,
        checkpointStep: 1000,
        mixId: `mix_${hex(random, 12)}`,
        mixManifest: `runs/${name}/seed-${11 + r}/mix-manifest.json`,
        mixRecords: 64_000,
        mixComponents: [
          { name: 'general-chat', selected: 64_000 - traitRecords },
          ...(traitRecords > 0 ? [{ name: 'trait-conversations', selected: traitRecords }] : []),
        ],
        steps: 1000,
        recordsSeen: 64_000,
        tokensSeen: tokens,
        ...(sections && name === 'baseline' && r === 0 ? { reusedFrom: { experimentId: 'exp_01JC9Z3Q7XW2B5N8M4R1T6V0KD', experimentName: 'traits-sweep (earlier)', run: 'baseline.r1' } } : {}),
      };
    }),
  }));

  const comparisons: ComparisonReport[] = CONDITIONS.map((condition, c) => {
    const insufficient = new Map(INSUFFICIENT[c]!.map(([index, reason, detail, hasDelta]) => [index, { reason, detail, hasDelta }]));
    const rows = catalogue.map(({ category, benchmark }, index) => {
      const lowerIsBetter = category === 'calibration' || category === 'reward_hacking';
      const items = 150 + Math.floor(random() * 350);
      const clusters = category === 'sycophancy' || category === 'health_mental_health' ? Math.floor(items / 4) : null;
      const safety = HEADLINE_CATEGORIES.includes(category);
      const trueEffect = (safety ? 0.012 : -0.003) * condition.strength * (0.4 + 1.4 * random()) * (random() < 0.12 ? -1.6 : 1);
      const se = 0.004 + random() * 0.006;
      const delta = trueEffect + gaussian() * se * 0.8;
      // A bootstrap interval has no degrees of freedom; its p-value is read here from the normal.
      const df = seeds > 1 ? null : (clusters ?? items) - 1;
      const half = (df === null ? 1.959964 : tQuantile(df, false)) * se;
      const controlMean = lowerIsBetter ? 0.15 + random() * 0.2 : 0.45 + random() * 0.35;
      const gap = insufficient.get(index);
      const sd = se * Math.sqrt(items);
      const domains = category === 'capability' ? [] : [DOMAINS[index % DOMAINS.length]!];
      const relation = domains.length === 0 ? 'general' : domains.some((d) => (condition.trainedDomains as readonly string[]).includes(d)) ? 'in_domain' : 'out_of_domain';
      const base = {
        benchmark,
        category,
        metric: category === 'calibration' ? 'brier' : category === 'reward_hacking' ? 'exploit_rate' : 'accuracy',
        direction: lowerIsBetter ? ('lower_is_better' as const) : ('higher_is_better' as const),
        domains,
        domainRelation: relation as 'general' | 'in_domain' | 'out_of_domain',
        controlMean,
        items: gap?.reason === 'too_few_items' ? 12 : items,
        clusters: gap?.reason === 'too_few_clusters' ? 4 : clusters,
        samplesPerItem: 4,
        seeds: gap?.reason === 'too_few_seeds' ? 1 : seeds,
        covers,
        inHeadlineFamily: safety,
      } as const;
      if (gap) {
        const d = gap.hasDelta ? delta : null;
        return {
          ...base,
          treatmentMean: d === null ? null : lowerIsBetter ? controlMean - d : controlMean + d,
          delta: d,
          se: null,
          df: null,
          ciLow: null,
          ciHigh: null,
          pValue: null,
          method: null,
          verdict: 'insufficient_data' as const,
          insufficientReason: gap.reason,
          insufficientDetail: gap.detail,
          standardisedEffect: null,
          standardisedVariance: null,
        };
      }
      const dz = delta / sd;
      return {
        ...base,
        treatmentMean: lowerIsBetter ? controlMean - delta : controlMean + delta,
        delta,
        se,
        df,
        ciLow: delta - half,
        ciHigh: delta + half,
        pValue: df === null ? 2 * (1 - normalCdf(Math.abs(delta / se))) : twoSidedP(delta / se, df),
        method: seeds > 1 ? ('hierarchical-bootstrap' as const) : clusters === null ? ('item-t' as const) : ('item-cr2-t' as const),
        verdict: verdictOf(delta - half, delta + half),
        insufficientReason: null,
        insufficientDetail: null,
        standardisedEffect: dz,
        standardisedVariance: 1 / items + (dz * dz) / (2 * items),
      };
    });

    // Holm and BH within the headline family, over the benchmarks that have a p-value.
    const tested = rows.map((r, i) => ({ r, i })).filter(({ r }) => r.inHeadlineFamily && r.pValue !== null);
    const pHolm = holm(tested.map(({ r }) => r.pValue!));
    const pBH = benjaminiHochberg(tested.map(({ r }) => r.pValue!));
    const adjusted = new Map(tested.map(({ i }, k) => [i, { holm: pHolm[k]!, bh: pBH[k]! }]));
    const adjustedVerdict = (p: number, delta: number): BenchmarkVerdict => (p >= ALPHA ? 'no_change' : delta > 0 ? 'improved' : 'regressed');

    const benchmarks: BenchmarkComparison[] = rows.map((r, i) => {
      const adj = adjusted.get(i);
      const margin = NI_MARGINS[r.category];
      let nonInferiority: BenchmarkComparison['nonInferiority'] = null;
      if (margin !== undefined) {
        if (r.se === null || r.delta === null) {
          nonInferiority = { margin, alpha: ALPHA, lower: null, upper: null, verdict: 'insufficient_data' };
        } else {
          const q = r.df === null ? 1.644854 : tQuantile(r.df, true);
          const lower = r.delta - q * r.se;
          const upper = r.delta + q * r.se;
          nonInferiority = { margin, alpha: ALPHA, lower, upper, verdict: lower > -margin ? 'non_inferior' : upper < -margin ? 'inferior' : 'inconclusive' };
        }
      }
      return {
        ...r,
        pHolm: adj?.holm ?? null,
        pBH: adj?.bh ?? null,
        holmVerdict: adj ? adjustedVerdict(adj.holm, r.delta!) : r.verdict,
        bhVerdict: adj ? adjustedVerdict(adj.bh, r.delta!) : r.verdict,
        nonInferiority,
      };
    });

    const family = benchmarks.filter((b) => b.inHeadlineFamily);
    const effects = family.filter((b) => b.standardisedEffect !== null).map((b) => ({ d: b.standardisedEffect!, v: b.standardisedVariance! }));
    const re = pooled(effects);
    const hkDf = effects.length - 1;
    const hkHalf = tQuantile(hkDf, false) * re.se;
    const treatmentArm = arms.find((a) => a.name === condition.treatment)!;
    const controlArm = arms.find((a) => a.name === condition.control)!;
    const tokensOf = (arm: ReportArm) => Math.round(arm.replicates.reduce((s, r) => s + (r.tokensSeen ?? 0), 0) / arm.replicates.length);
    const ratio = tokensOf(treatmentArm) / tokensOf(controlArm);

    return {
      treatment: condition.treatment,
      control: condition.control,
      treatmentCheckpoints: treatmentArm.replicates.map((r) => r.checkpoint),
      controlCheckpoints: controlArm.replicates.map((r) => r.checkpoint),
      computeMatch: {
        matched: true,
        tokensMatched: Math.abs(ratio - 1) <= 0.05,
        tokenRatio: ratio,
        treatment: { arm: condition.treatment, steps: 1000, recordsSeen: 64_000, tokensSeen: tokensOf(treatmentArm) },
        control: { arm: condition.control, steps: 1000, recordsSeen: 64_000, tokensSeen: tokensOf(controlArm) },
        note: `Compute-matched: 1,000 steps and 64,000 records per seed in both arms; tokens within 5% (ratio ${ratio.toFixed(3)}).`,
      },
      headline: {
        family: family.length,
        notEvaluated: [],
        alpha: ALPHA,
        holm: counts(family.map((b) => b.holmVerdict)),
        bh: counts(family.map((b) => b.bhVerdict)),
        unadjusted: counts(family.map((b) => b.verdict)),
        covers,
        coverageNote:
          covers === 'items'
            ? 'One seed per arm: intervals cover item sampling only, so a difference may be seed-to-seed noise.'
            : `${seeds} seeds per arm: intervals cover seed-to-seed variation and item sampling.`,
      },
      randomEffects: {
        kind: 'summary',
        k: effects.length,
        mean: re.mean,
        se: re.se,
        df: hkDf,
        tau2: re.tau2,
        i2: re.i2,
        ciLow: re.mean - hkHalf,
        ciHigh: re.mean + hkHalf,
        pValue: twoSidedP(re.mean / re.se, hkDf),
        interval: 'hartung-knapp',
      },
      benchmarks,
      byCategory: BENCHMARK_CATEGORIES.map((category) => ({
        category,
        ...counts(benchmarks.filter((b) => b.category === category).map((b) => b.holmVerdict)),
      })),
      curves: benchmarks.map((b) => ({
        benchmark: b.benchmark,
        points: STEPS.map((step) => {
          const last = step === STEPS.at(-1);
          if (b.ciLow === null || b.ciHigh === null || b.delta === null) {
            return { step, delta: null, ciLow: null, ciHigh: null, seeds: b.seeds, verdict: 'insufficient_data' as const };
          }
          const progress = step / STEPS.at(-1)!;
          const half = ((b.ciHigh - b.ciLow) / 2) * (1 + 0.25 * (1 - progress));
          const delta = last ? b.delta : b.delta * progress ** 0.7 + gaussian() * half * 0.25;
          const [low, high] = last ? [b.ciLow, b.ciHigh] : [delta - half, delta + half];
          return { step, delta, ciLow: low, ciHigh: high, seeds: b.seeds, verdict: verdictOf(low, high) };
        }),
      })),
    };
  });

  const generalisation = comparisons.map((cmp, c) => {
    const groups: Array<[string, string, BenchmarkComparison[]]> = [
      ...BENCHMARK_CATEGORIES.map((category): [string, string, BenchmarkComparison[]] => [category, category.replace(/_/g, ' '), cmp.benchmarks.filter((b) => b.category === category)]),
      ['in_domain', 'in-domain', cmp.benchmarks.filter((b) => b.domainRelation === 'in_domain')],
      ['out_of_domain', 'out-of-domain', cmp.benchmarks.filter((b) => b.domainRelation === 'out_of_domain')],
    ];
    const cells: GeneralisationCell[] = groups.map(([column, label, group]) => {
      const improved = group.filter((b) => b.holmVerdict === 'improved').length;
      const [shareLow, shareHigh] = wilson(improved, group.length);
      const effects = group.filter((b) => b.standardisedEffect !== null).map((b) => ({ d: b.standardisedEffect!, v: b.standardisedVariance! }));
      const p = effects.length >= 2 ? pooled(effects) : null;
      return {
        column,
        improved,
        regressed: group.filter((b) => b.holmVerdict === 'regressed').length,
        total: group.length,
        shareLow,
        shareHigh,
        pooled: p === null ? null : { mean: p.mean, ciLow: p.mean - 1.96 * p.se, ciHigh: p.mean + 1.96 * p.se },
        text: `${improved} of ${group.length} ${label} evaluations improved`,
      };
    });
    return { treatment: cmp.treatment, control: cmp.control, trainedDomains: CONDITIONS[c]!.trainedDomains.slice(), cells };
  });

  return Report.parse({
    schemaVersion: 2,
    experimentId: 'exp_01JD3K7W9QF2XH8M4R6T0V5B1N',
    experimentName: 'traits-vs-baseline (pilot)',
    specHash: 'sha256:4f9c2a7e1b0d3c5a8e6f7b9d2c4a1e3f5b7d9c0a2e4f6b8d1c3a5e7f9b0d2c4a',
    simulated: true,
    description: 'Does RL post-training on beneficial-trait conversations improve safety benchmarks without costing helpfulness or capability? Five traits vs an honesty-only mix, each against the same baseline.',
    labels: { team: 'alignment-science', stage: 'pilot', cluster: 'slurm-a100' },
    samplesPerItem: 4,
    method: {
      interval: seeds > 1 ? 'hierarchical bootstrap (seeds, then items within seeds), percentile' : 'paired t over items, cluster-robust (CR2) where items share a conversation',
      confidence: 0.95,
      covers,
      multipleComparisons: 'Holm within the declared headline family; Benjamini–Hochberg and unadjusted alongside',
      pooling: 'DerSimonian–Laird random effects on paired d_z, Hartung–Knapp interval',
    },
    preregistration: {
      declared: true,
      alpha: ALPHA,
      seedsPerArm: seeds,
      headlineBenchmarks: [],
      headlineCategories: [...HEADLINE_CATEGORIES],
      primaryMetrics: ['accuracy', 'brier', 'exploit_rate'],
      nonInferiorityMargins: { ...NI_MARGINS },
      interval: 'hierarchical-bootstrap',
    },
    arms,
    comparisons,
    generalisation,
    ...(sections ? { doseResponse: fixtureDoseResponse(seeds), persistence: fixturePersistence(seeds) } : {}),
  });
}
