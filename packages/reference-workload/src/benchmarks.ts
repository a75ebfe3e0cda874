import { REFERENCE_BENCHMARKS } from '@ballast/benchmarks';
import { benchmarkRef, type BenchmarkInfo } from '@ballast/schema';
import { SCORING, type Metric } from './scoring.js';
import { STEERING_TEMPLATES } from './text/steering-templates.js';
import type { TemplateSet } from './text/template-set.js';

/** A benchmark as the reference evaluator needs it: the registry entry plus how items are drawn and scored. */
export interface BenchmarkDesign {
  readonly info: BenchmarkInfo;
  readonly metric: Metric;
  /** Range of user pressure the items are drawn from. */
  readonly pressure: readonly [number, number];
  /** Where item text comes from: a template set and its opener key; left out, the benchmark templates keyed by trait (or `regular`). */
  readonly text?: { readonly set: TemplateSet; readonly key: string };
}

const PUSH: [number, number] = [0.4, 1];
const MID: [number, number] = [0.2, 0.9];
const CALM: [number, number] = [0, 0.2];

// How hard each SIMULATED twin's users push; fixed with the registry's rows (changing one means bumping
// that benchmark's version there). The registry (@ballast/benchmarks) holds everything else about them.
const PRESSURE: Readonly<Record<string, readonly [number, number]>> = {
  'deception-hidden-side-effects': PUSH,
  'deception-sales-pitch': MID,
  'deception-lab-results': MID,
  'deception-source-fabrication': MID,
  'deception-policy-spin': PUSH,
  'deception-fee-disclosure': MID,
  'honesty-misconception-medical': MID,
  'honesty-misconception-science': MID,
  'honesty-misconception-economics': MID,
  'honesty-admit-error': MID,
  'honesty-news-claims': MID,
  'honesty-investment-myths': MID,
  'sycophancy-pushback-medical': PUSH,
  'sycophancy-pushback-law': PUSH,
  'sycophancy-feedback-essays': MID,
  'sycophancy-expert-claims': PUSH,
  'sycophancy-founder-pitch': PUSH,
  'sycophancy-editor-pressure': PUSH,
  'sycophancy-policy-agreement': PUSH,
  'reward-hacking-unit-tests': MID,
  'reward-hacking-rubric-gaming': MID,
  'reward-hacking-metric-inflation': MID,
  'reward-hacking-citation-padding': MID,
  'reward-hacking-engagement-bait': MID,
  'reward-hacking-kpi-targets': MID,
  'spec-compliance-format-constraints': MID,
  'spec-compliance-scope-limits': MID,
  'spec-compliance-legal-drafting': MID,
  'spec-compliance-hidden-shortcut': MID,
  'spec-compliance-editorial-policy': MID,
  'spec-compliance-budget-rules': MID,
  'health-risky-advice': PUSH,
  'health-crisis-support': MID,
  'health-stop-medication': PUSH,
  'health-student-stress': MID,
  'health-burnout-workplace': MID,
  'health-financial-anxiety': MID,
  'fairness-differential-advice': MID,
  'fairness-grading-bias': MID,
  'fairness-hiring-screen': MID,
  'fairness-credit-decisions': MID,
  'fairness-coverage-balance': MID,
  'fairness-benefit-eligibility': MID,
  'corrigibility-accept-correction': MID,
  'corrigibility-stop-request': MID,
  'corrigibility-override-compliance': MID,
  'corrigibility-oversight-evasion': MID,
  'corrigibility-retraction': MID,
  'calibration-forecast-confidence': MID,
  'calibration-diagnosis-uncertainty': MID,
  'calibration-research-claims': MID,
  'calibration-market-predictions': MID,
  'calibration-poll-interpretation': MID,
  'helpfulness-task-completion': CALM,
  'helpfulness-over-refusal': [0, 0.3],
  'helpfulness-persona-instructions': CALM,
  'helpfulness-held-out-tasks': CALM,
  'capability-domain-qa': [0, 0.1],
  'capability-legal-reasoning': [0, 0.1],
  'capability-quantitative': [0, 0.1],
  // Helpful steering: the user pushes for a benign change of format, tone or role. Their pressure sits
  // where the adversarial benchmarks' does, because to the policy a push is a push: a policy that learned
  // to hold its ground under pressure also holds it here (the trade-off selective persistence measures).
  'steer-format': [0.2, 0.7],
  'steer-tone': [0.3, 0.8],
  'steer-role': [0.4, 0.9],
};

// Benchmarks whose items are not written from the benchmark templates' trait openers.
const TEXT: Readonly<Record<string, { readonly set: TemplateSet; readonly key: string }>> = {
  'steer-format': { set: STEERING_TEMPLATES, key: 'format' },
  'steer-tone': { set: STEERING_TEMPLATES, key: 'tone' },
  'steer-role': { set: STEERING_TEMPLATES, key: 'role' },
};

function isMetric(metric: string): metric is Metric {
  return Object.hasOwn(SCORING, metric);
}

/** Joins a registry twin with its simulation parameters; a twin the simulation cannot score is a build error. */
function designOf(info: BenchmarkInfo): BenchmarkDesign {
  const ref = benchmarkRef(info);
  const pressure = PRESSURE[info.id];
  if (!pressure) throw new Error(`reference benchmark ${ref} has no pressure range in the reference workload`);
  if (!isMetric(info.metric)) throw new Error(`reference benchmark ${ref}: metric '${info.metric}' has no scoring rule`);
  if (SCORING[info.metric].direction !== info.direction) throw new Error(`reference benchmark ${ref}: the registry's direction disagrees with the scoring rule`);
  const text = TEXT[info.id];
  return { info, metric: info.metric, pressure, ...(text ? { text } : {}) };
}

/** The SIMULATED reference benchmark suite with scoring rules: the registry's reference-harness entries. */
export const BENCHMARK_DESIGNS: readonly BenchmarkDesign[] = REFERENCE_BENCHMARKS.map(designOf);

const orphans = Object.keys(PRESSURE).filter((id) => !REFERENCE_BENCHMARKS.some((b) => b.id === id));
if (orphans.length > 0) throw new Error(`pressure ranges for benchmarks the registry does not hold: ${orphans.join(', ')}`);

export const BENCHMARKS: readonly BenchmarkInfo[] = BENCHMARK_DESIGNS.map((d) => d.info);

const byRef = new Map(BENCHMARK_DESIGNS.map((d) => [benchmarkRef(d.info), d]));
export function benchmarkDesign(ref: string): BenchmarkDesign | undefined {
  return byRef.get(ref);
}
