import assert from 'node:assert/strict';
import type { ExperimentSpecInput } from '@ballast/schema';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { JobView } from '@ballast/schema';
import {
  clusterAddress,
  pollUntil,
  REAL_MODEL_ENV,
  registerExampleBenchmarks,
  startTestStack,
  tinyModel,
  tinyTrlSpec,
  waitForExperiment,
  type TestStack,
} from './index.js';

const run = promisify(execFile);

/** One benchmark per harness: each harness run costs seconds of Python imports on 2 cores. */
const TEST_BENCHMARKS = ['honesty-probe@1', 'calibration-mc@1'];

/** Real TRL training and real inspect_ai / lm-eval evaluation of a tiny random model, on CPU, on every backend. */
describe('real models: TRL, inspect_ai and lm-eval end to end', { timeout: 1_500_000 }, () => {
  let stack: TestStack;
  let model: string;
  let slurmConf: string;
  before(async () => {
    slurmConf = await clusterAddress('slurm');
    const rayAddress = await clusterAddress('ray');
    stack = await startTestStack('real-models', { env: { ...REAL_MODEL_ENV, BALLAST_SLURM_CONF: slurmConf, BALLAST_RAY_ADDRESS: rayAddress } });
    model = await tinyModel(stack);
    const refs = await registerExampleBenchmarks(stack);
    assert.ok(refs.length >= 4, `example benchmarks registered: ${refs.join(', ')}`);
  }, { timeout: 300_000 });
  after(async () => {
    await stack?.stop();
  }, { timeout: 120_000 });

  const jobsOf = async (experimentId: string) => await stack.api.jobs.list.query({ id: experimentId });
  const armJobs = (jobs: JobView[], armId: string, kind: 'train' | 'eval') => jobs.filter((j) => j.armId === armId && j.kind === kind);
  const firstTransition = (job: JobView) => Math.min(...job.attempts.flatMap((a) => a.transitions.map((t) => Date.parse(t.at))));

  /** Evaluation overlapped training: each arm's first eval job was submitted before its training job ended. */
  const assertEvaluatedWhileTraining = (arms: { armId: string; name: string }[], jobs: JobView[]) => {
    for (const arm of arms) {
      const armTrain = armJobs(jobs, arm.armId, 'train')[0]!;
      const evals = armJobs(jobs, arm.armId, 'eval');
      assert.equal(evals.length, 2, `${arm.name}: one eval job per checkpoint`);
      const trainEnded = Date.parse(armTrain.attempts.at(-1)!.endedAt!);
      assert.ok(Math.min(...evals.map(firstTransition)) < trainEnded, `${arm.name}: the first checkpoint's eval was submitted before training ended`);
    }
  };

  /** The contract status.json of a job, for its progress (step, resumedFromStep). */
  const statusOf = async (jobId: string) =>
    JSON.parse(await readFile(join(stack.home, 'artifacts', 'jobs', jobId, 'status.json'), 'utf8')) as { outcome: string; progress: Record<string, number> };

  /** TRL's own record of the last step it trained (the final checkpoint's trainer_state.json). */
  const trlGlobalStep = async (jobId: string, step: number) =>
    (JSON.parse(await readFile(join(stack.home, 'artifacts', 'jobs', jobId, 'native', `checkpoint-${step}`, 'trainer_state.json'), 'utf8')) as { global_step: number })
      .global_step;

  /** Every contract checkpoint of a job, by step, with its COMPLETE marker as first written. */
  const markers = async (jobId: string, steps: number[]) =>
    Object.fromEntries(
      await Promise.all(
        steps.map(async (s) => [s, await readFile(join(stack.home, 'artifacts', 'jobs', jobId, 'checkpoints', `step-${s}`, 'COMPLETE'), 'utf8')] as const),
      ),
    );

  /**
   * The tiny-model design (a baseline and 5% traits) trained by the local test; the attack test adds
   * persistence to the same design, so its runs are reused rather than trained again.
   */
  const localDesign = async (name: string, extra: Record<string, unknown> = {}): Promise<ExperimentSpecInput> => {
    const spec = (await tinyTrlSpec(model, {
      name,
      trainer: { steps: 16, saveEvery: 8 },
      evaluation: { limit: 3, samplesPerItem: 2, checkpoints: 'all', benchmarks: TEST_BENCHMARKS },
    })) as ExperimentSpecInput & { spec: Record<string, unknown> };
    const { arms: _arms, comparisons: _comparisons, datasets, ...rest } = spec.spec;
    const { datasets: extraDatasets, ...more } = extra;
    spec.spec = {
      ...rest,
      datasets: { ...(datasets as object), ...(extraDatasets as object | undefined) },
      design: { baseline: { components: [{ dataset: 'regular', fraction: 1 }] }, traits: { dataset: 'traits', fraction: 0.05 } },
      ...more,
    };
    return spec;
  };
  let localExperimentId = '';

  it('local: a design\'s two arms train with TRL and are evaluated while training; a SIGKILLed job runner resumes through TRL', { timeout: 900_000 }, async () => {
    const spec = await localDesign('tiny-trl-local');
    const { experiment } = await stack.api.experiments.launch.mutate({ clientRequestId: 'real-local-1', spec });
    localExperimentId = experiment.id;
    const baseline = experiment.arms.find((a) => a.name === 'baseline')!;

    // Kill the local backend's runner of the baseline training job once its first checkpoint is committed.
    const killed = await pollUntil(
      "the baseline's first committed checkpoint",
      async () => {
        const view = await stack.api.experiments.get.query({ id: experiment.id });
        const arm = view.arms.find((a) => a.armId === baseline.armId)!;
        const train = armJobs(await jobsOf(experiment.id), baseline.armId, 'train')[0];
        const attempt = train?.attempts[0];
        return train && arm.checkpoints >= 1 && attempt?.backendJobId && attempt.state === 'RUNNING' ? { train, backendJobId: attempt.backendJobId } : null;
      },
      { timeoutMs: 300_000, intervalMs: 100 },
    );
    const runner = JSON.parse(await readFile(join(stack.home, 'backends', 'local', 'jobs', killed.backendJobId, 'runner.json'), 'utf8')) as { pid: number };
    process.kill(runner.pid, 'SIGKILL');
    const before = await markers(killed.train.id, [8]);

    const done = await waitForExperiment(stack, experiment.id, { timeoutMs: 600_000 });
    assert.equal(done.phase, 'SUCCEEDED', done.error ?? '');
    const jobs = await jobsOf(experiment.id);
    const train = armJobs(jobs, baseline.armId, 'train')[0]!;
    assert.deepEqual(train.attempts.map((a) => a.state), ['LOST', 'SUCCEEDED'], JSON.stringify(train.attempts, null, 1));
    const status = await statusOf(train.id);
    assert.equal(status.progress['resumedFromStep'], 8, JSON.stringify(status));
    assert.equal(status.progress['step'], 16);
    assert.equal(await trlGlobalStep(train.id, 16), 16, "TRL's own global step reached the spec's steps");
    // The checkpoint committed before the kill was not committed again.
    assert.deepEqual(await markers(train.id, [8]), before);
    const checkpoints = await stack.api.checkpoints.list.query({ id: experiment.id });
    assert.deepEqual(checkpoints.filter((c) => c.arm === 'baseline').map((c) => c.step), [8, 16]);
    for (const c of checkpoints) {
      assert.ok(c.environment?.packages['trl'], `checkpoint ${c.arm}@${c.step} records the TRL version: ${JSON.stringify(c.environment)}`);
    }

    assertEvaluatedWhileTraining(done.arms, jobs);

    // Both harnesses ran for real and their logs were read.
    const evaluations = await stack.api.evaluations.list.query({ id: experiment.id });
    const evaluators = new Set(evaluations.map((e) => e.evaluator.split('@')[0]));
    assert.deepEqual([...evaluators].sort(), ['inspect', 'lm-eval']);
    for (const e of evaluations) {
      assert.ok(e.n >= 1, `${e.benchmark}@${e.arm}:${e.step} has items`);
      assert.ok(e.environment?.packages['torch'], `${e.benchmark} records the environment`);
    }
    const report = await stack.api.reports.get.query({ id: experiment.id });
    assert.match(report.report.modelLabel ?? '', /tiny random model/);
    const comparison = report.report.comparisons[0]!;
    assert.equal(comparison.benchmarks.length, TEST_BENCHMARKS.length, 'the report compares the arms on every benchmark');
    // TRL's own token count (its tokenizer: the base model's) reaches the compute match.
    for (const side of [comparison.computeMatch.treatment, comparison.computeMatch.control]) {
      assert.ok(side.tokensSeen !== null && side.tokensSeen > 0, `${side.arm}: tokens seen ${side.tokensSeen}`);
    }
  });

  it('local: the same design with a harmful fine-tuning attack (TRL SFT) and pressure through lm-eval reuses the trained runs', { timeout: 600_000 }, async () => {
    const spec = await localDesign('tiny-trl-attack', {
      datasets: { attack: { uri: 'reference://attack' } },
      persistence: {
        benchmarks: ['calibration-mc@1'],
        steering: ['helpfulness-mc@1'],
        pressure: ['none@1', 'persona-obedient@1'],
        attacks: [{ name: 'harmful-sft', dataset: 'attack', steps: [0, 4], batchSize: 2, learningRate: 0.0001 }],
      },
    });
    const { experiment } = await stack.api.experiments.launch.mutate({ clientRequestId: 'real-attack-1', spec });
    const done = await waitForExperiment(stack, experiment.id, { timeoutMs: 540_000 });
    assert.equal(done.phase, 'SUCCEEDED', done.error ?? '');
    const jobs = await jobsOf(experiment.id);
    // The local test trained these runs (same mix, trainer, model, seed and code): nothing trains again,
    // and the evaluations of their checkpoints are found stored.
    assert.deepEqual(jobs.filter((j) => j.kind === 'train').map((j) => j.id), [], 'no training job: both runs are reused from the local test');
    for (const arm of done.arms) assert.ok(arm.reusedFromArmId, `${arm.name} is reused: ${JSON.stringify(arm)}`);
    const attacks = jobs.filter((j) => j.kind === 'attack');
    assert.deepEqual(attacks.map((j) => j.state), ['SUCCEEDED', 'SUCCEEDED'], 'one TRL SFT attack job per arm, from its reused final checkpoint');
    for (const job of attacks) {
      const status = await statusOf(job.id);
      assert.equal(status.progress['step'], 4, `${job.id}: TRL SFT ran the attack's 4 steps: ${JSON.stringify(status)}`);
      assert.equal(await trlGlobalStep(job.id, 4), 4, "TRL's own global step reached the last attack step");
    }
    const { report } = await stack.api.reports.get.query({ id: experiment.id });
    const persistence = report.persistence?.comparisons[0];
    assert.ok(persistence, `the report has the selective-persistence section: ${JSON.stringify(report.persistence)}`);
    assert.deepEqual([persistence.treatment, persistence.control], ['traits-5pct', 'baseline']);
    const attack = persistence.attacks[0]!;
    assert.deepEqual(attack.steps, [0, 4], 'the attack curve has the unattacked checkpoint and the attacked one');
    for (const curve of [attack.harm.treatment, attack.harm.control, attack.steering.treatment, attack.steering.control]) {
      assert.equal(curve.filter((p) => p.estimate !== null).length, 2, `a value at every attack step: ${JSON.stringify(curve)}`);
    }
    assert.equal(persistence.pressure?.levels.length, 2, 'the pressure curve has no pressure and the obedient persona (a system instruction through lm-eval)');
    const runs = report.arms.flatMap((a) => a.replicates);
    assert.deepEqual(runs.map((r) => r.reusedFrom?.experimentId), runs.map(() => localExperimentId), 'the report names the local test as the source of every run');
  });

  it('Slurm: two arms train with TRL; a job Slurm requeues resumes through TRL and is not committed twice', { timeout: 900_000 }, async () => {
    const spec = await tinyTrlSpec(model, {
      name: 'tiny-trl-slurm',
      trainer: { steps: 16, saveEvery: 8 },
      evaluation: { limit: 3, samplesPerItem: 2, checkpoints: 'all', benchmarks: TEST_BENCHMARKS },
      backend: { kind: 'slurm' },
      // The local test trained the same runs: this one must train its own on Slurm.
      reuse: false,
    });
    const { experiment } = await stack.api.experiments.launch.mutate({ clientRequestId: 'real-slurm-1', spec });
    const baseline = experiment.arms.find((a) => a.name === 'baseline')!;
    const first = await pollUntil(
      "the baseline's first committed checkpoint on Slurm",
      async () => {
        const view = await stack.api.experiments.get.query({ id: experiment.id });
        const train = armJobs(await jobsOf(experiment.id), baseline.armId, 'train')[0];
        const attempt = train?.attempts[0];
        return train && view.arms.find((a) => a.armId === baseline.armId)!.checkpoints >= 1 && attempt?.backendJobId && attempt.state === 'RUNNING'
          ? { train, backendJobId: attempt.backendJobId }
          : null;
      },
      { timeoutMs: 300_000, intervalMs: 100 },
    );
    const before = await markers(first.train.id, [8]);
    await run('scontrol', ['requeue', first.backendJobId], { env: { PATH: process.env['PATH'] ?? '', SLURM_CONF: slurmConf }, timeout: 30_000 });

    const done = await waitForExperiment(stack, experiment.id, { timeoutMs: 600_000 });
    assert.equal(done.phase, 'SUCCEEDED', done.error ?? '');
    const jobs = await jobsOf(experiment.id);
    const train = armJobs(jobs, baseline.armId, 'train')[0]!;
    const status = await statusOf(train.id);
    // Overlap is checked on the requeued arm, whose training runs on past its first checkpoint for certain.
    // The other arm trains 16 steps of a tiny model: under load it can finish within one poll of its
    // first checkpoint, so whether its eval job was submitted first is a race (the local test checks
    // overlap on both arms). Both arms still get one eval job per checkpoint.
    assertEvaluatedWhileTraining(done.arms.filter((a) => a.armId === baseline.armId), jobs);
    for (const arm of done.arms) assert.equal(armJobs(jobs, arm.armId, 'eval').length, 2, `${arm.name}: one eval job per checkpoint`);
    // The re-run Slurm made resumed from the committed checkpoint through TRL's own resume.
    assert.deepEqual(train.attempts.map((a) => a.state), ['PREEMPTED', 'SUCCEEDED'], JSON.stringify(train.attempts, null, 1));
    assert.equal(status.progress['resumedFromStep'], 8, JSON.stringify(status));
    assert.equal(status.progress['step'], 16);
    assert.equal(await trlGlobalStep(train.id, 16), 16);
    assert.deepEqual(await markers(train.id, [8]), before);
    const report = await stack.api.reports.get.query({ id: experiment.id });
    assert.equal(report.report.comparisons[0]!.benchmarks.length, TEST_BENCHMARKS.length);
  });

  it('Ray: a TRL job trains on the Ray backend', { timeout: 600_000 }, async () => {
    const spec = await tinyTrlSpec(model, {
      name: 'tiny-trl-ray',
      trainer: { steps: 4, saveEvery: 4 },
      evaluation: { limit: 2, samplesPerItem: 2, checkpoints: 'final', benchmarks: ['calibration-mc@1'] },
      backend: { kind: 'ray' },
      reuse: false,
      arms: [{ name: 'baseline', mix: { components: [{ dataset: 'regular', fraction: 1 }] } }],
      comparisons: [],
    });
    const { experiment } = await stack.api.experiments.launch.mutate({ clientRequestId: 'real-ray-1', spec });
    const done = await waitForExperiment(stack, experiment.id, { timeoutMs: 480_000 });
    assert.equal(done.phase, 'SUCCEEDED', done.error ?? '');
    const train = (await jobsOf(experiment.id)).find((j) => j.kind === 'train')!;
    assert.equal(train.backend, 'ray');
    assert.equal((await statusOf(train.id)).progress['step'], 4);
    assert.equal(await trlGlobalStep(train.id, 4), 4);
  });
});
