import { terminalText as t } from '@ballast/config';
import type { ExperimentView, FieldIssue } from '@ballast/schema';

/** One line per issue; path and message may quote the user's input (a dataset URI), so both are escaped. */
export function formatIssues(issues: readonly FieldIssue[]): string {
  return issues.map((i) => `${t(i.path)}: ${t(i.message)}`).join('\n');
}

function bar(done: number, total: number, width = 20): string {
  const filled = total > 0 ? Math.round((Math.min(done, total) / total) * width) : 0;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/** What `status ID` adds from the spec: its description and labels. */
export interface SpecMetadata {
  readonly description?: string | undefined;
  readonly labels?: Readonly<Record<string, string>> | undefined;
}

/**
 * Per-arm progress lines for `launch --watch` and `status ID`. Every string from the spec or the
 * database is escaped: a name, a launcher or an error quoting a dataset line must not drive the terminal.
 */
export function renderExperiment(view: ExperimentView, metadata: SpecMetadata = {}): string {
  const lines = [`${t(view.id)}  ${t(view.name)}  ${view.phase}${view.simulated ? '  (SIMULATED reference workload)' : ''}`];
  if (metadata.description) lines.push(`  ${t(metadata.description)}`);
  const labels = Object.entries(metadata.labels ?? {});
  if (labels.length > 0) lines.push(`  labels: ${labels.map(([k, v]) => `${t(k)}=${t(v)}`).join(', ')}`);
  lines.push(`  launched by ${t(view.launchedBy)} at ${t(view.createdAt)}`);
  for (const arm of view.arms) {
    lines.push(
      `  ${t(arm.name).padEnd(18)} ${arm.phase.padEnd(10)} train ${bar(arm.trainStep, arm.totalSteps)} ${String(arm.trainStep).padStart(5)}/${arm.totalSteps}  ` +
        `checkpoints ${arm.checkpoints}  evaluated ${arm.evaluations}/${arm.evaluationsPlanned}  ${hours(arm)}` +
        (arm.reusedFromArmId ? `  reused from ${t(arm.reusedFromArmId)}` : ''),
    );
    const metrics = Object.entries(arm.metrics ?? {});
    if (metrics.length > 0) lines.push(`  ${''.padEnd(18)} ${metrics.map(([k, v]) => `${t(k)} ${formatMetric(v)}`).join('  ')}`);
  }
  lines.push(`  total ${hours(view)} (backend start to end × requested GPUs/CPUs, preempted attempts included)`);
  if (view.error) lines.push(`  error: ${t(view.error)}`);
  return lines.join('\n');
}

export function renderExperimentRow(view: ExperimentView): string {
  return `${t(view.id)}  ${view.phase.padEnd(10)} ${t(view.name).padEnd(28)} ${t(view.createdAt)}  by ${t(view.launchedBy)}${view.simulated ? '  SIMULATED' : ''}`;
}

function hours(usage: { gpuHours: number; cpuHours: number }): string {
  return `${usage.gpuHours.toFixed(3)} GPU-h ${usage.cpuHours.toFixed(3)} CPU-h`;
}

/** Training metrics to 4 significant digits: enough to see a trend, short enough for one line. */
function formatMetric(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}
