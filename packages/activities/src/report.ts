import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { evaluationsForCheckpoints, getExperiment, getMix, listArms, listCheckpoints, saveReport } from '@ballast/db';
import { buildReport, renderReportMarkdown, type ArmResults } from '@ballast/reporting';
import { benchmarkRef, EvalItemResult, MixManifest, type BenchmarkInfo, type ResolvedExperimentSpec } from '@ballast/schema';
import { ActivityErrorType, type ReportOutcome } from '@ballast/workflow-contract';
import { heartbeating } from './backend-calls.js';
import type { ActivityDeps } from './deps.js';
import { baseModelLabel } from './model-label.js';
import { currentRegistry } from './benchmark-selection.js';
import { derivedId } from './hashing.js';

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
 * Compares the arms' final checkpoints benchmark by benchmark (paired per-item differences with 95%
 * CIs), stores the report in the database and writes it as JSON and Markdown artifacts.
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

async function reportOf(deps: ActivityDeps, input: { experimentId: string }): Promise<ReportOutcome> {
  const experiment = await getExperiment(deps.db, input.experimentId);
  if (!experiment) throw ApplicationFailure.nonRetryable(`no experiment ${input.experimentId}`, ActivityErrorType.notFound);
  const spec = experiment.resolvedSpec as ResolvedExperimentSpec;
  const arms = await listArms(deps.db, experiment.id);
  const checkpoints = await listCheckpoints(deps.db, arms.map((a) => a.id));
  const finals = arms.map((arm) => {
    const own = checkpoints.filter((c) => c.armId === arm.id);
    const final = own[own.length - 1];
    if (!final) throw ApplicationFailure.nonRetryable(`arm '${arm.name}' has no checkpoint`, ActivityErrorType.noCheckpoint);
    return { arm, final };
  });
  const evaluations = await evaluationsForCheckpoints(deps.db, finals.map((f) => f.final.id));
  const infoByRef = new Map<string, BenchmarkInfo>((await currentRegistry(deps)).entries.map((b) => [benchmarkRef(b), b]));
  const armInputs: Record<string, ArmResults> = {};
  for (const { arm, final } of finals) {
    const results: Record<string, { info: BenchmarkInfo; items: EvalItemResult[] }> = {};
    for (const { evaluation } of evaluations.filter((e) => e.checkpointId === final.id)) {
      const info = infoByRef.get(evaluation.benchmarkRef);
      if (!info) continue;
      results[evaluation.benchmarkRef] = { info, items: await readItems(evaluation.itemsUri) };
    }
    const mix = arm.mixId ? await getMix(deps.db, arm.mixId) : null;
    const manifest = mix?.manifest ? MixManifest.parse(mix.manifest) : null;
    armInputs[arm.name] = {
      checkpointHash: final.contentHash,
      checkpointStep: final.step,
      seed: spec.spec.arms.find((a) => a.name === arm.name)?.seed,
      mix: mix && manifest
        ? { mixId: mix.id, manifest: mix.manifestUri, records: manifest.records, components: manifest.components.map((c) => ({ name: c.name, selected: c.selected })) }
        : undefined,
      compute: { steps: arm.trainStep, recordsSeen: arm.recordsSeen },
      results,
    };
  }
  const report = buildReport({
    experimentId: experiment.id,
    experimentName: experiment.name,
    specHash: experiment.specHash,
    simulated: experiment.simulated,
    description: spec.metadata.description,
    labels: spec.metadata.labels,
    samplesPerItem: spec.spec.evaluation.samplesPerItem,
    modelLabel: await baseModelLabel(spec.spec.baseCheckpoint),
    comparisons: spec.spec.comparisons,
    arms: armInputs,
  });
  const base = `reports/${experiment.id}`;
  const jsonUri = await deps.store.writeJson(`${base}/report.json`, report);
  const markdownUri = await deps.store.writeFileAtomic(`${base}/report.md`, renderReportMarkdown(report));
  const reportId = derivedId('report', experiment.id);
  await saveReport(deps.db, { id: reportId, experimentId: experiment.id, report, jsonUri, markdownUri });
  const improved = report.comparisons.reduce((s, c) => s + c.totals.improved, 0);
  const total = report.comparisons.reduce((s, c) => s + c.totals.total, 0);
  return { reportId, improved, total };
}
