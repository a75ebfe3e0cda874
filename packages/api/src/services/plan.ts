import { findTrainedByInputsKey, measuredRates } from '@ballast/db';
import { pressureRef, type LaunchPlan, type ResolvedArm, type ResolvedExperimentSpec } from '@ballast/schema';
import type { ApiContext } from '../context.js';
import { plannedEvaluations } from './experiment-view.js';
import { inputsKeyOf, validateLaunch } from './launch.js';

/** `a[domain in healthcare] 5%`: one mix component as a dry run shows it. */
function describeComponent(c: ResolvedArm['mix']['components'][number], total: number): string {
  const filters = Object.entries(c.filter).flatMap(([field, f]) => [
    ...(f?.in ? [`${field} in ${f.in.join(',')}`] : []),
    ...(f?.notIn ? [`${field} not in ${f.notIn.join(',')}`] : []),
  ]);
  const share = c.fraction !== null ? `${Number((c.fraction * 100).toFixed(2))}%` : `${c.count} of ${total} records`;
  return `${c.dataset}${filters.length > 0 ? `[${filters.join('; ')}]` : ''} ${share}`;
}


/**
 * What launching this spec would do, checked exactly as a launch checks it and nothing stored or
 * started: the resolved arms and runs (and which an earlier identical run would serve), the
 * comparisons, the job counts, and an estimate of GPU- and CPU-hours from this deployment's finished
 * jobs with the same trainer.
 */
export async function planLaunch(ctx: ApiContext, raw: unknown): Promise<LaunchPlan> {
  const { resolved, specHash } = await validateLaunch(ctx, raw);
  const spec = resolved.spec;
  const keys = new Map(spec.arms.map((run) => [run.name, inputsKeyOf(resolved, run)]));
  const earlier = await findTrainedByInputsKey(ctx.db, [...keys.values()]);
  const armNames = [...new Set(spec.arms.map((r) => r.arm))];
  const arms = armNames.map((name) => {
    const runs = spec.arms.filter((r) => r.arm === name);
    const first = runs[0]!;
    return {
      arm: name,
      description: first.description ?? null,
      role: first.design?.role ?? null,
      traitFraction: first.design?.traitFraction ?? null,
      mix: first.mix.components.map((c) => describeComponent(c, first.mix.totalRecords)),
      runs: runs.map((r) => {
        const found = spec.reuse === false ? undefined : earlier.get(keys.get(r.name)!);
        return { run: r.name, seed: r.seed, reuse: found ? { experimentId: found.arm.experimentId, experimentName: found.experimentName, run: found.arm.name } : null };
      }),
    };
  });
  const persistence = spec.persistence ?? null;
  const stressedRuns = persistence === null ? 0 : spec.arms.filter((r) => persistence.arms.includes(r.arm)).length;
  const reused = arms.reduce((s, a) => s + a.runs.filter((r) => r.reuse !== null).length, 0);
  const jobs = {
    trainingRuns: spec.arms.length,
    predictedReused: reused,
    evaluations: spec.arms.length * plannedEvaluations(resolved),
    attacks: persistence === null ? 0 : stressedRuns * persistence.attacks.length,
    persistenceEvaluations:
      persistence === null ? 0 : stressedRuns * (persistence.pressure.length + persistence.attacks.reduce((s, a) => s + a.steps.length - 1, 0)),
  };
  return {
    name: resolved.metadata.name,
    specHash,
    simulated: spec.trainer.framework === 'reference',
    replicates: spec.replicates,
    arms,
    comparisons: spec.comparisons.map((c) => ({ treatment: c.treatment, control: c.control })),
    doseResponse: spec.doseResponse ?? null,
    persistence:
      persistence === null
        ? null
        : {
            benchmarks: persistence.benchmarks,
            steering: persistence.steering,
            pressure: persistence.pressure.map((c) => ({ ref: pressureRef(c), level: c.level, label: c.label })),
            attacks: persistence.attacks.map((a) => ({ name: a.name, dataset: a.dataset, steps: a.steps })),
            arms: persistence.arms,
          },
    jobs,
    estimate: await estimate(ctx, resolved, jobs),
  };
}

async function estimate(ctx: ApiContext, resolved: ResolvedExperimentSpec, jobs: LaunchPlan['jobs']): Promise<LaunchPlan['estimate']> {
  const spec = resolved.spec;
  const trainer = spec.trainer;
  const recordsPerRun = trainer.steps * trainer.batchSize;
  const attackRecords = (spec.persistence?.attacks ?? []).reduce((s, a) => s + Math.max(...a.steps) * a.batchSize, 0);
  const stressedRuns = spec.persistence ? spec.arms.filter((r) => spec.persistence!.arms.includes(r.arm)).length : 0;
  const trainedRecords = (jobs.trainingRuns - jobs.predictedReused) * recordsPerRun + stressedRuns * attackRecords;
  const rates = await measuredRates(ctx.db, trainer.framework);
  if (rates.train !== null) {
    const evalJobs = jobs.evaluations + jobs.persistenceEvaluations;
    const gpu = trainedRecords * rates.train.gpuSecondsPerRecord + evalJobs * (rates.eval?.gpuSecondsPerJob ?? 0);
    const cpu = trainedRecords * rates.train.cpuSecondsPerRecord + evalJobs * (rates.eval?.cpuSecondsPerJob ?? 0);
    return {
      basis: 'measured',
      gpuHours: gpu / 3600,
      cpuHours: cpu / 3600,
      note: `from ${rates.train.jobs} finished ${trainer.framework} training jobs${rates.eval ? ` and ${rates.eval.jobs} evaluation jobs` : ''} on this deployment; attacks are charged at the training rate per record, every evaluation as a full one (stored results cost nothing), so this is an upper estimate`,
    };
  }
  if (trainer.framework === 'reference') {
    const stepsRun = (jobs.trainingRuns - jobs.predictedReused) * trainer.steps + stressedRuns * Math.max(0, ...(spec.persistence?.attacks ?? []).map((a) => Math.max(...a.steps)));
    const seconds = (stepsRun * trainer.simulatedStepMs) / 1000;
    return {
      basis: 'sleep-floor',
      gpuHours: 0,
      cpuHours: (seconds * spec.backend.resources.cpus) / 3600,
      note: 'no finished reference training job on this deployment yet: a floor from the SIMULATED step sleep alone (trainer.simulatedStepMs), evaluation not included',
    };
  }
  return { basis: 'none', gpuHours: null, cpuHours: null, note: `no finished ${trainer.framework} training job on this deployment to estimate from; run a short pilot first` };
}
