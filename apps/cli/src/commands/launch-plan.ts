import { terminalText as t } from '@ballast/config';
import type { LaunchPlan } from '@ballast/schema';

function hours(value: number | null): string {
  if (value === null) return 'unknown';
  return value < 0.01 ? `${(value * 3600).toFixed(0)} s` : `${value.toFixed(2)} h`;
}

/** A dry run as the terminal shows it; every name from the spec or the database is escaped. */
export function renderLaunchPlan(plan: LaunchPlan): string {
  const lines: string[] = [];
  lines.push(`dry run: ${t(plan.name)} (${t(plan.specHash)}) — nothing was started${plan.simulated ? '; SIMULATED reference workload, not a language model' : ''}`);
  lines.push('');
  lines.push(`arms (${plan.arms.length}, ${plan.replicates} run${plan.replicates === 1 ? '' : 's'} each):`);
  for (const arm of plan.arms) {
    const role = arm.role === null ? 'listed' : `${arm.role}${arm.traitFraction === null ? '' : `, ${Number((arm.traitFraction * 100).toFixed(2))}% traits`}`;
    lines.push(`  ${t(arm.arm)}  [${t(role)}]  ${arm.mix.map((m) => t(m)).join(' + ')}`);
    const reused = arm.runs.filter((r) => r.reuse !== null);
    for (const run of reused) lines.push(`    ${t(run.run)} (seed ${run.seed}): reuses ${t(run.reuse!.experimentName)}/${t(run.reuse!.run)} (${t(run.reuse!.experimentId)}) if its data and code are unchanged`);
  }
  lines.push('');
  lines.push(`comparisons (${plan.comparisons.length}):`);
  for (const c of plan.comparisons) lines.push(`  ${t(c.treatment)} vs ${t(c.control)}`);
  if (plan.doseResponse) {
    lines.push('');
    lines.push(`dose–response: ${t(plan.doseResponse.control)} (0%) → ${plan.doseResponse.arms.map((a) => `${t(a.arm)} (${Number((a.fraction * 100).toFixed(2))}%)`).join(', ')}`);
  }
  if (plan.persistence) {
    const p = plan.persistence;
    lines.push('');
    lines.push(`persistence on ${p.arms.map((a) => t(a)).join(', ')}:`);
    lines.push(`  harm-side benchmarks: ${p.benchmarks.map((b) => t(b)).join(', ')}`);
    lines.push(`  steering benchmarks: ${p.steering.map((b) => t(b)).join(', ')}`);
    lines.push(`  pressure: ${p.pressure.map((c) => `${t(c.ref)} (level ${c.level})`).join(', ')}`);
    for (const a of p.attacks) lines.push(`  attack ${t(a.name)} on '${t(a.dataset)}': steps ${a.steps.join(', ')}`);
  }
  const j = plan.jobs;
  lines.push('');
  lines.push(
    `jobs: ${j.trainingRuns} training runs (${j.predictedReused} predicted reused, ${j.trainingRuns - j.predictedReused} to train), ${j.evaluations} checkpoint evaluations, ${j.attacks} attacks, ${j.persistenceEvaluations} persistence evaluations`,
  );
  lines.push(`estimate: ${hours(plan.estimate.gpuHours)} GPU, ${hours(plan.estimate.cpuHours)} CPU (${t(plan.estimate.basis)}: ${t(plan.estimate.note)})`);
  return lines.join('\n');
}
