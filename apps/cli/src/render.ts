import type { ExperimentView, FieldIssue } from '@ballast/schema';

export function formatIssues(issues: readonly FieldIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('\n');
}

function bar(done: number, total: number, width = 20): string {
  const filled = total > 0 ? Math.round((Math.min(done, total) / total) * width) : 0;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/** Per-arm progress lines for `launch --watch` and `status ID`. */
export function renderExperiment(view: ExperimentView): string {
  const lines = [
    `${view.id}  ${view.name}  ${view.phase}${view.simulated ? '  (SIMULATED reference workload)' : ''}`,
  ];
  for (const arm of view.arms) {
    lines.push(
      `  ${arm.name.padEnd(18)} ${arm.phase.padEnd(10)} train ${bar(arm.trainStep, arm.totalSteps)} ${String(arm.trainStep).padStart(5)}/${arm.totalSteps}  ` +
        `checkpoints ${arm.checkpoints}  evaluated ${arm.evaluations}/${arm.evaluationsPlanned}  ${hours(arm)}`,
    );
  }
  lines.push(`  total ${hours(view)} (backend start to end × requested GPUs/CPUs, preempted attempts included)`);
  if (view.error) lines.push(`  error: ${view.error}`);
  return lines.join('\n');
}

export function renderExperimentRow(view: ExperimentView): string {
  return `${view.id}  ${view.phase.padEnd(10)} ${view.name.padEnd(28)} ${view.createdAt}  by ${view.launchedBy}${view.simulated ? '  SIMULATED' : ''}`;
}

function hours(usage: { gpuHours: number; cpuHours: number }): string {
  return `${usage.gpuHours.toFixed(3)} GPU-h ${usage.cpuHours.toFixed(3)} CPU-h`;
}
