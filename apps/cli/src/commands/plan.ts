import { terminalText as t } from '@ballast/config';
import { harnessEvaluates } from '@ballast/benchmarks';
import { InvalidArgumentError, parseAssumptions, planEvaluation, type PlanRow } from '@ballast/reporting';
import { benchmarkRef, ExperimentSpec, lockAnalysis, type BenchmarkInfo } from '@ballast/schema';
import { apiFailure } from '../api-client.js';
import type { CliContext } from '../context.js';
import { CliExit, EXIT } from '../exit-codes.js';
import { formatIssues } from '../render.js';
import { readSpecFileOrExit } from '../spec-file.js';

/**
 * `ballast plan SPEC [--power P] [--assume K=V]...`: the minimum detectable effect per benchmark for the
 * spec's items, samples per item and seeds per arm, before anything is launched. Item counts come from
 * the benchmark registry (through the API); variances from PLAN_ASSUMPTIONS unless overridden.
 */
export async function planCommand(ctx: CliContext, file: string, options: { power?: string | undefined; assume: readonly string[] }): Promise<void> {
  const spec = readSpecFileOrExit(file);
  // The same local checks `launch` makes; a spec that passes them parses.
  if (spec.issues.length > 0) throw new CliExit(EXIT.invalid, `${t(file)} is not a valid experiment spec:\n${formatIssues(spec.issues)}`);
  const doc = ExperimentSpec.parse(spec.raw);
  const power = options.power === undefined ? 0.8 : Number(options.power);
  if (!(power > 0 && power < 1)) throw new CliExit(EXIT.invalid, `--power: must be a number between 0 and 1 (got '${t(options.power ?? '')}')`);
  let assumptions;
  try {
    assumptions = parseAssumptions(options.assume);
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw new CliExit(EXIT.invalid, t(error.message));
    throw error;
  }
  let registry: BenchmarkInfo[];
  try {
    registry = await ctx.client.benchmarks.list.query(undefined);
  } catch (error) {
    throw apiFailure(error, ctx.apiUrl);
  }
  const body = doc.spec;
  const listed = body.evaluation.benchmarks;
  const evaluated = listed === 'all' ? registry.filter((b) => harnessEvaluates(b.harness.kind, body.trainer.framework)) : registry.filter((b) => listed.includes(benchmarkRef(b)));
  const missing = listed === 'all' ? [] : listed.filter((ref) => !registry.some((b) => benchmarkRef(b) === ref));
  if (missing.length > 0) throw new CliExit(EXIT.invalid, `not registered: ${missing.map((r) => t(r)).join(', ')} (ballast benchmarks lists them)`);
  const analysis = lockAnalysis(body.analysis, evaluated.map((b) => ({ ref: benchmarkRef(b), category: b.category, metric: b.metric })));
  const rows = planEvaluation({
    benchmarks: evaluated,
    headline: analysis.headlineBenchmarks,
    samplesPerItem: body.evaluation.samplesPerItem,
    seeds: body.replicates,
    limit: body.evaluation.limit,
    alpha: analysis.alpha,
    power,
    assumptions,
  });
  ctx.out(renderPlan(rows, { name: doc.metadata.name, alpha: analysis.alpha, power, seeds: body.replicates, family: analysis.headlineBenchmarks.length, assumptions }));
}

function renderPlan(rows: readonly PlanRow[], meta: { name: string; alpha: number; power: number; seeds: number; family: number; assumptions: Record<string, number> }): string {
  const f = (x: number | null, d = 3) => (x === null ? '—' : x.toFixed(d));
  const out = [
    `plan for ${t(meta.name)}: minimum detectable effect (MDE) per benchmark, two-sided α = ${meta.alpha}, power ${meta.power}, ${meta.seeds} seed(s) per arm`,
    meta.seeds === 1
      ? '  one seed per arm: the report\'s intervals will cover item sampling only; training noise between seeds is not in these MDEs either'
      : `  ${meta.seeds} seeds per arm: the seed is the unit (df = ${meta.seeds - 1}); the MDEs include seed-to-seed variance`,
    `  assumed variances (--assume to change): ${Object.entries(meta.assumptions).map(([k, v]) => `${k}=${v}`).join(' ')}`,
    `  MDE (Holm) is at α / ${meta.family}, the threshold Holm's first step applies across the headline family of ${meta.family}`,
    '',
  ];
  const table = [
    ['benchmark', 'category', 'items', 'samples', 'SE', 'df', 'MDE', 'MDE (Holm)'],
    ...rows.map((r) => [t(r.benchmark) + (r.inHeadlineFamily ? '' : ' †'), t(r.category), r.items === null ? 'unknown' : String(r.items), String(r.samplesPerItem), f(r.se, 4), r.df === null ? '—' : String(r.df), f(r.mde), f(r.mdeHolm)]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  out.push(...table.map((row) => row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd()));
  const known = rows.filter((r) => r.mde !== null).map((r) => r.mde!).sort((a, b) => a - b);
  if (known.length > 0) out.push('', `median MDE ${f(known[Math.floor(known.length / 2)]!)}; † not in the headline family (no adjustment)`);
  if (rows.some((r) => r.items === null)) out.push('unknown: a real harness learns its item count on its first run; give evaluation.limit to plan for N items');
  return out.join('\n');
}
