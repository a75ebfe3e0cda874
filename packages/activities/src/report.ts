import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { evaluationsForCheckpoints, getExperiment, getMix, listArms, listCheckpoints, saveReport } from '@ballast/db';
import { buildReport, renderReportHtml, renderReportMarkdown, type ArmInput, type BenchmarkResults, type RunResults } from '@ballast/reporting';
import { AnalysisSpec, benchmarkRef, EvalItemResult, lockAnalysis, MixManifest, type BenchmarkInfo, type ResolvedAnalysis, type ResolvedArm, type ResolvedExperimentSpec } from '@ballast/schema';
import { ActivityErrorType, type ReportOutcome } from '@ballast/workflow-contract';
import { heartbeating } from './backend-calls.js';
import type { ActivityDeps } from './deps.js';
import { baseModelLabel } from './model-label.js';
import { currentRegistry } from './benchmark-selection.js';
import { derivedId } from './hashing.js';
import { NO_TRAIT } from '@ballast/mixing';

/** An evaluation's per-item results. They are written once and atomically, so one that does not parse stays so: not retried. */
async function readItems(uri: string): Promise<EvalItemResult[]> {
  const text = await readFile(fileURLToPath(uri), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      try {
        return EvalItemResult.parse(JSON.parse(line));
      } catch {
        throw ApplicationFailure.nonRetryable(`evaluation items ${uri}: line ${index + 1} is not an item result`, ActivityErrorType.corruptArtifact);
      }
    });
}

/**
 * Compares the arms' final checkpoints benchmark by benchmark (per item with one seed per arm, per
 * seed with replicates; the declared family adjusted), with per-checkpoint curves from every evaluated
 * checkpoint; stores the report in the database and writes it as JSON, Markdown and HTML artifacts.
 */
export async function computeReport(deps: ActivityDeps, input: { experimentId: string }): Promise<ReportOutcome> {
  // Heartbeats throughout (the workflow gives it a 20 s heartbeat timeout), so an attempt that went
  // silent is retried in seconds rather than at its start-to-close timeout.
  const ctx = Context.current();
  return await heartbeating(() => ctx.heartbeat(), async () => {
    ctx.heartbeat();
    return await reportOf(deps, input);
  });
}

/** The analysis an experiment declared; experiments launched before pre-registration get today's defaults, locked over what they evaluated. */
function analysisOf(spec: ResolvedExperimentSpec, registry: ReadonlyMap<string, BenchmarkInfo>): ResolvedAnalysis & { declared: boolean } {
  const declared = (spec.spec as Partial<ResolvedExperimentSpec['spec']>).analysis;
  if (declared !== undefined) return { ...declared, declared: true };
  const refs = Array.isArray(spec.spec.evaluation.benchmarks) ? spec.spec.evaluation.benchmarks : [...registry.keys()];
  const evaluated = refs.flatMap((ref) => {
    const info = registry.get(ref);
    return info ? [{ ref, category: info.category, metric: info.metric }] : [];
  });
  return { ...lockAnalysis(AnalysisSpec.parse({}), evaluated), declared: false };
}

/** Domains present in a mix's trait data, from its manifest's trait × domain coverage. */
function traitDomains(manifest: MixManifest | null): string[] {
  if (!manifest) return [];
  const domains = new Set<string>();
  for (const [trait, byDomain] of Object.entries(manifest.coverage.byTraitDomain)) {
    // Regular records (no trait) are not trait data: a baseline has no trained trait domains.
    if (trait === NO_TRAIT) continue;
    for (const [domain, count] of Object.entries(byDomain)) if (count > 0) domains.add(domain);
  }
  return [...domains].sort();
}

async function reportOf(deps: ActivityDeps, input: { experimentId: string }): Promise<ReportOutcome> {
  const experiment = await getExperiment(deps.db, input.experimentId);
  if (!experiment) throw ApplicationFailure.nonRetryable(`no experiment ${input.experimentId}`, ActivityErrorType.notFound);
  const spec = experiment.resolvedSpec as ResolvedExperimentSpec;
  const rows = await listArms(deps.db, experiment.id);
  const checkpoints = await listCheckpoints(deps.db, rows.map((a) => a.id));
  for (const row of rows) {
    if (!checkpoints.some((c) => c.armId === row.id)) throw ApplicationFailure.nonRetryable(`arm '${row.name}' has no checkpoint`, ActivityErrorType.noCheckpoint);
  }
  const evaluations = await evaluationsForCheckpoints(deps.db, checkpoints.map((c) => c.id));
  const infoByRef = new Map<string, BenchmarkInfo>((await currentRegistry(deps)).entries.map((b) => [benchmarkRef(b), b]));
  const arms = new Map<string, { runs: RunResults[]; domains: Set<string> }>();
  for (const row of rows) {
    // Runs stored before replicates existed are their own arm, replicate 1.
    const resolved = row.resolved as Partial<ResolvedArm>;
    const armName = resolved.arm ?? row.name;
    const own = checkpoints.filter((c) => c.armId === row.id);
    const final = own[own.length - 1]!;
    const byStep = new Map<number, Record<string, BenchmarkResults>>();
    for (const checkpoint of own) {
      const results: Record<string, BenchmarkResults> = {};
      for (const { evaluation } of evaluations.filter((e) => e.checkpointId === checkpoint.id)) {
        const info = infoByRef.get(evaluation.benchmarkRef);
        if (info) results[evaluation.benchmarkRef] = { info, items: await readItems(evaluation.itemsUri) };
      }
      byStep.set(checkpoint.step, results);
    }
    const mix = row.mixId ? await getMix(deps.db, row.mixId) : null;
    const manifest = mix?.manifest ? MixManifest.parse(mix.manifest) : null;
    const arm = arms.get(armName) ?? { runs: [], domains: new Set<string>() };
    for (const d of traitDomains(manifest)) arm.domains.add(d);
    arm.runs.push({
      run: row.name,
      replicate: resolved.replicate ?? 1,
      seed: row.seed,
      checkpointHash: final.contentHash,
      checkpointStep: final.step,
      compute: { steps: row.trainStep, recordsSeen: row.recordsSeen, tokensSeen: row.tokensSeen ?? null },
      mix: mix && manifest
        ? { mixId: mix.id, manifest: mix.manifestUri, records: manifest.records, components: manifest.components.map((c) => ({ name: c.name, selected: c.selected })) }
        : undefined,
      results: byStep.get(final.step) ?? {},
      byStep,
    });
    arms.set(armName, arm);
  }
  const armInputs: Record<string, ArmInput> = Object.fromEntries([...arms].map(([name, a]) => [name, { runs: a.runs, trainedDomains: [...a.domains].sort() }]));
  const report = buildReport({
    experimentId: experiment.id,
    experimentName: experiment.name,
    specHash: experiment.specHash,
    simulated: experiment.simulated,
    description: spec.metadata.description,
    labels: spec.metadata.labels,
    samplesPerItem: spec.spec.evaluation.samplesPerItem,
    modelLabel: await baseModelLabel(spec.spec.baseCheckpoint),
    seedsPerArm: (spec.spec as Partial<ResolvedExperimentSpec['spec']>).replicates ?? 1,
    analysis: analysisOf(spec, infoByRef),
    comparisons: spec.spec.comparisons,
    arms: armInputs,
  });
  const base = `reports/${experiment.id}`;
  const jsonUri = await deps.store.writeJson(`${base}/report.json`, report);
  const markdownUri = await deps.store.writeFileAtomic(`${base}/report.md`, renderReportMarkdown(report));
  await deps.store.writeFileAtomic(`${base}/report.html`, renderReportHtml(report));
  const reportId = derivedId('report', experiment.id);
  await saveReport(deps.db, { id: reportId, experimentId: experiment.id, report, jsonUri, markdownUri });
  const improved = report.comparisons.reduce((s, c) => s + c.headline.holm.improved, 0);
  const total = report.comparisons.reduce((s, c) => s + c.headline.family, 0);
  return { reportId, improved, total };
}
