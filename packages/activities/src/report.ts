import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { evaluationsForCheckpoints, getArm, getExperiment, getMix, listArms, listAttackCheckpoints, listCheckpoints, saveReport, type ArmRow, type CheckpointRow } from '@ballast/db';
import { buildReport, ReportingError, renderReportHtml, renderReportMarkdown, type ArmInput, type BenchmarkResults, type PersistenceInput, type ReusedFromInput, type RunPersistenceResults, type RunResults } from '@ballast/reporting';
import { AnalysisSpec, benchmarkRef, EvalItemResult, lockAnalysis, MixManifest, pressureRef, type BenchmarkInfo, type ResolvedAnalysis, type ResolvedArm, type ResolvedExperimentSpec } from '@ballast/schema';
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

/** Where a reused run's checkpoints came from, for the report; undefined for a run that trained. */
async function reusedFromOf(deps: ActivityDeps, row: ArmRow): Promise<ReusedFromInput | undefined> {
  if (!row.reusedFromArmId) return undefined;
  const source = await getArm(deps.db, row.reusedFromArmId);
  const experiment = source ? await getExperiment(deps.db, source.experimentId) : null;
  if (!source || !experiment) return undefined;
  return { experimentId: experiment.id, experimentName: experiment.name, run: source.name };
}

/** One checkpoint's evaluations, by benchmark ref, read from their item files. */
type ResultsReader = (checkpointId: string, pressure?: string | null) => Promise<Record<string, BenchmarkResults>>;

function resultsReader(
  evaluations: readonly { checkpointId: string; evaluation: { benchmarkRef: string; itemsUri: string; pressureRef: string | null } }[],
  infoByRef: ReadonlyMap<string, BenchmarkInfo>,
  keep: (ref: string) => boolean = () => true,
): ResultsReader {
  return async (checkpointId, pressure = null) => {
    const results: Record<string, BenchmarkResults> = {};
    for (const { evaluation } of evaluations.filter((e) => e.checkpointId === checkpointId && e.evaluation.pressureRef === pressure)) {
      const info = infoByRef.get(evaluation.benchmarkRef);
      if (info && keep(evaluation.benchmarkRef)) results[evaluation.benchmarkRef] = { info, items: await readItems(evaluation.itemsUri) };
    }
    return results;
  };
}

/**
 * A stressed run's persistence results: the final checkpoint under each pressure condition (level 0 is
 * its unpressured evaluation) and each attack's checkpoints by step (step 0 is the final checkpoint).
 */
async function persistenceResultsOf(
  persistence: NonNullable<ResolvedExperimentSpec['spec']['persistence']>,
  final: CheckpointRow,
  attacked: readonly CheckpointRow[],
  read: ResultsReader,
): Promise<RunPersistenceResults> {
  const unpressured = await read(final.id);
  const pressure: Record<string, Record<string, BenchmarkResults>> = {};
  for (const condition of persistence.pressure) {
    const ref = pressureRef(condition);
    pressure[ref] = condition.kind === 'none' ? unpressured : await read(final.id, ref);
  }
  const attacks: Record<string, Record<number, Record<string, BenchmarkResults>>> = {};
  for (const attack of persistence.attacks) {
    const byStep: Record<number, Record<string, BenchmarkResults>> = { 0: unpressured };
    for (const c of attacked.filter((a) => a.lineage === `attack:${attack.name}` && attack.steps.includes(a.step))) byStep[c.step] = await read(c.id);
    attacks[attack.name] = byStep;
  }
  return { pressure, attacks };
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
  const persistence = spec.spec.persistence ?? null;
  const attacked = persistence ? await listAttackCheckpoints(deps.db, rows.map((a) => a.id)) : [];
  const evaluations = await evaluationsForCheckpoints(deps.db, [...checkpoints, ...attacked].map((c) => c.id), { pressure: 'any' });
  const infoByRef = new Map<string, BenchmarkInfo>((await currentRegistry(deps)).entries.map((b) => [benchmarkRef(b), b]));
  // The main comparisons read the benchmarks the experiment evaluates: persistence's own evaluations of
  // the final checkpoint (steering, say) are linked to it too, and must not join them.
  const evaluated = Array.isArray(spec.spec.evaluation.benchmarks) ? new Set(spec.spec.evaluation.benchmarks) : null;
  const readMain = resultsReader(evaluations, infoByRef, (ref) => evaluated === null || evaluated.has(ref));
  const readAll = resultsReader(evaluations, infoByRef);
  const arms = new Map<string, { runs: RunResults[]; domains: Set<string> }>();
  for (const row of rows) {
    // Runs stored before replicates existed are their own arm, replicate 1.
    const resolved = row.resolved as Partial<ResolvedArm>;
    const armName = resolved.arm ?? row.name;
    const own = checkpoints.filter((c) => c.armId === row.id);
    const final = own[own.length - 1]!;
    const byStep = new Map<number, Record<string, BenchmarkResults>>();
    for (const checkpoint of own) byStep.set(checkpoint.step, await readMain(checkpoint.id));
    const mix = row.mixId ? await getMix(deps.db, row.mixId) : null;
    const manifest = mix?.manifest ? MixManifest.parse(mix.manifest) : null;
    const arm = arms.get(armName) ?? { runs: [], domains: new Set<string>() };
    for (const d of traitDomains(manifest)) arm.domains.add(d);
    const stressed = persistence !== null && persistence.arms.includes(armName);
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
      reusedFrom: await reusedFromOf(deps, row),
      persistence: stressed ? await persistenceResultsOf(persistence, final, attacked.filter((c) => c.armId === row.id), readAll) : undefined,
    });
    arms.set(armName, arm);
  }
  const armInputs: Record<string, ArmInput> = Object.fromEntries([...arms].map(([name, a]) => [name, { runs: a.runs, trainedDomains: [...a.domains].sort() }]));
  const modelLabel = await baseModelLabel(spec.spec.baseCheckpoint);
  const report = reportOrFail(() => buildReport({
    experimentId: experiment.id,
    experimentName: experiment.name,
    specHash: experiment.specHash,
    simulated: experiment.simulated,
    description: spec.metadata.description,
    labels: spec.metadata.labels,
    samplesPerItem: spec.spec.evaluation.samplesPerItem,
    modelLabel,
    seedsPerArm: (spec.spec as Partial<ResolvedExperimentSpec['spec']>).replicates ?? 1,
    analysis: analysisOf(spec, infoByRef),
    comparisons: spec.spec.comparisons,
    arms: armInputs,
    doseResponse: spec.spec.doseResponse ?? undefined,
    persistence: persistence === null ? undefined : persistenceInputOf(persistence),
  }));
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

function persistenceInputOf(p: NonNullable<ResolvedExperimentSpec['spec']['persistence']>): PersistenceInput {
  return {
    benchmarks: p.benchmarks,
    steering: p.steering,
    pressure: p.pressure.map((c) => ({ ref: pressureRef(c), level: c.level, label: c.label })),
    attacks: p.attacks.map((a) => ({ name: a.name, steps: a.steps })),
    arms: p.arms,
  };
}

/** The report's own errors come from the stored results or spec, which a retry reads unchanged: not retried. */
function reportOrFail<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof ReportingError) throw ApplicationFailure.nonRetryable(error.message, error.code);
    throw error;
  }
}
