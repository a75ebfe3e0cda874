import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { TRPCClientError } from '@trpc/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { stringify as toYaml } from 'yaml';
import { repositoryRoot } from '@ballast/config';
import { insertExperimentOnce } from '@ballast/db';
import { armIdFor, resumePendingLaunches } from '@ballast/api';
import { createApiContext, createBackends } from '@ballast/server';
import { ExperimentSpec, resolveExperimentSpec } from '@ballast/schema';
import { startTestStack, smallSpec, waitForExperiment, BASELINE_ARM, type TestStack } from './index.js';

const run = promisify(execFile);
const CLI = join(repositoryRoot(), 'apps', 'cli', 'dist', 'main.js');

function issuesOf(error: unknown): { path: string; message: string }[] {
  assert.ok(error instanceof TRPCClientError, `expected a tRPC error, got ${String(error)}`);
  assert.equal(error.data?.code, 'BAD_REQUEST');
  return (error.data as { issues: { path: string; message: string }[] }).issues;
}

describe('end to end through the tRPC API (real Temporal, real PostgreSQL)', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack('e2e');
  });
  after(async () => {
    await stack?.stop();
  });

  /** One spec with the four classic mistakes: a fraction of 1.5, an unknown backend, a misspelt key, a missing dataset. */
  function fourMistakes() {
    const spec = smallSpec() as unknown as { spec: Record<string, unknown> & { arms: { mix: { components: { fraction: number }[] } }[]; datasets: Record<string, unknown> } };
    spec.spec.arms[1]!.mix.components[1]!.fraction = 1.5;
    spec.spec['backend'] = { kind: 'slurmx' };
    (spec.spec['trainer'] as Record<string, unknown>)['stpes'] = 10;
    spec.spec.datasets['traits'] = { uri: 'file:///nonexistent/traits.jsonl' };
    return spec;
  }
  const FOUR_PATHS = ['spec.arms.1.mix.components.1.fraction', 'spec.backend.kind', 'spec.trainer.stpes', 'spec.datasets.traits.uri'];

  it('rejects an invalid spec with every failing field path and starts nothing', async () => {
    const error = await stack.api.experiments.launch.mutate({ clientRequestId: 'invalid-spec-1', spec: fourMistakes() }).catch((e: unknown) => e);
    const paths = issuesOf(error).map((i) => i.path);
    for (const path of FOUR_PATHS) assert.ok(paths.includes(`spec.${path}`), `${path} not in ${paths.join(', ')}`);

    const undeclared = smallSpec({ benchmarks: ['sycophancy-pushback-medical@1', 'no-such-benchmark@1'] });
    undeclared.spec.arms[0]!.mix.components[0]!.dataset = 'nope';
    const error2 = await stack.api.experiments.launch.mutate({ clientRequestId: 'invalid-spec-2', spec: undeclared }).catch((e: unknown) => e);
    assert.deepEqual(issuesOf(error2).map((i) => i.path), ['spec.spec.arms.0.mix.components.0.dataset', 'spec.spec.evaluation.benchmarks.1']);

    const unconfigured = smallSpec();
    unconfigured.spec.backend = { kind: 'ray' };
    const error3 = await stack.api.experiments.launch.mutate({ clientRequestId: 'invalid-spec-3', spec: unconfigured }).catch((e: unknown) => e);
    const issue = issuesOf(error3).find((i) => i.path === 'spec.spec.backend.kind');
    assert.match(issue?.message ?? '', /not configured on this deployment/);

    assert.equal((await stack.api.experiments.list.query({})).length, 0, 'nothing was stored');
    const workflows = stack.server.client.workflow.list();
    for await (const _ of workflows) assert.fail('no workflow may start for invalid input');
  });

  it('the CLI prints the same field paths and exits 2', async () => {
    const dir = join(stack.home, 'specs');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'bad.yaml'), toYaml(fourMistakes()));
    const result = await run(process.execPath, [CLI, 'launch', join(dir, 'bad.yaml'), '--api', stack.server.apiUrl!]).catch((e: { code: number; stderr: string }) => e);
    assert.equal((result as { code: number }).code, 2);
    const stderr = (result as { stderr: string }).stderr;
    for (const path of FOUR_PATHS) assert.match(stderr, new RegExp(`^${path.replace(/\./g, '\\.')}: `, 'm'), `missing ${path} in:\n${stderr}`);
    assert.equal((await stack.api.experiments.list.query({})).length, 0, 'nothing was stored');
  });

  it('runs an experiment end to end, evaluating checkpoints while training goes on', async () => {
    const spec = smallSpec({ steps: 160, saveEvery: 40, simulatedStepMs: 40 });
    const first = await stack.api.experiments.launch.mutate({ clientRequestId: 'e2e-main-0001', spec, launchedBy: 'e2e-test' });
    assert.equal(first.created, true);
    assert.equal(first.experiment.simulated, true);
    const again = await stack.api.experiments.launch.mutate({ clientRequestId: 'e2e-main-0001', spec });
    assert.equal(again.created, false);
    assert.equal(again.experiment.id, first.experiment.id, 'same request id, same experiment');
    const id = first.experiment.id;

    const done = await waitForExperiment(stack, id);
    assert.equal(done.phase, 'SUCCEEDED', done.error ?? '');
    assert.equal(done.launchedBy, 'e2e-test');
    assert.match(done.ballastVersion, /^\d+\.\d+\.\d+/);
    for (const arm of done.arms) {
      assert.equal(arm.trainStep, 160);
      assert.equal(arm.checkpoints, 4);
      assert.equal(arm.evaluations, 4);
    }

    const stored = await stack.api.experiments.spec.query({ id });
    assert.deepEqual(stored.raw, spec, 'the raw spec is stored as given');
    assert.equal((stored.resolved as { spec: { arms: { mix: { totalRecords: number } }[] } }).spec.arms[0]!.mix.totalRecords, 160 * 16);
    assert.match(stored.specHash, /^sha256:[0-9a-f]{64}$/);

    const { report, artifacts, markdown } = await stack.api.reports.get.query({ id });
    assert.equal(report.simulated, true);
    const comparison = report.comparisons[0]!;
    assert.ok(comparison.totals.total >= 53, `N = ${comparison.totals.total}`);
    assert.equal(comparison.totals.improved + comparison.totals.noChange + comparison.totals.regressed, comparison.totals.total);
    assert.equal(comparison.computeMatch.matched, true);
    assert.equal(comparison.computeMatch.treatment.recordsSeen, comparison.computeMatch.control.recordsSeen);
    assert.ok(comparison.byCategory.length >= 9);
    assert.ok(comparison.totals.improved > comparison.totals.regressed, JSON.stringify(comparison.totals));
    assert.match(markdown, /SIMULATED/);
    // Lineage: every arm names the mix it trained on and where its manifest is.
    assert.equal(report.arms.length, 2);
    for (const arm of report.arms) {
      assert.match(arm.mixId ?? '', /^mix_[0-9a-f]{24}$/);
      assert.ok(arm.mixManifest && existsSync(fileURLToPath(arm.mixManifest)));
      assert.ok(markdown.includes(arm.mixId!));
      const shown = await stack.api.mixes.show.query({ mixId: arm.mixId! });
      assert.equal((shown.manifest as { records: number }).records, 160 * 16);
    }
    assert.ok(existsSync(fileURLToPath(artifacts.json)) && existsSync(fileURLToPath(artifacts.markdown)));

    const jobs = await stack.api.jobs.list.query({ id });
    const training = jobs.filter((j) => j.kind === 'train');
    assert.equal(training.length, 2, 'one training job per arm');
    for (const job of training) {
      assert.equal(job.state, 'SUCCEEDED');
      assert.equal(job.attempts.length, 1);
      const states = job.attempts[0]!.transitions.map((t) => t.state);
      assert.deepEqual(states.slice(-1), ['SUCCEEDED']);
      assert.ok(states.includes('RUNNING'));
      assert.ok(job.attempts[0]!.resourceSeconds > 0);
      const logs = await stack.api.jobs.logs.query({ id: job.id, tailLines: 5 });
      assert.ok(Array.isArray(logs.lines));
    }

    // Each arm's first checkpoint was evaluated while its training job was still running: the eval job
    // was submitted (its first recorded transition) before the training attempt ended. How soon the
    // evaluation is then stored depends on the machine's load, so that is not asserted.
    for (const train of training) {
      const trainEnd = Date.parse(train.attempts.at(-1)!.endedAt!);
      const evalJobs = jobs.filter((j) => j.kind === 'eval' && j.armId === train.armId);
      assert.equal(evalJobs.length, 4, `arm ${train.armId}: one eval job per checkpoint`);
      const firstSubmitted = Math.min(...evalJobs.flatMap((j) => j.attempts.flatMap((a) => a.transitions.map((t) => Date.parse(t.at)))));
      assert.ok(
        firstSubmitted < trainEnd,
        `arm ${train.armId}: first eval job submitted at ${new Date(firstSubmitted).toISOString()}, training ended ${new Date(trainEnd).toISOString()}`,
      );
    }

    if (process.env['BALLAST_RECORD_HISTORIES']) {
      const dir = join(repositoryRoot(), 'packages', 'integration-tests', 'fixtures', 'histories');
      mkdirSync(dir, { recursive: true });
      const ids = [`experiment-${id}`, `arm-${done.arms[0]!.armId}`, `ckpt-eval-${done.arms[0]!.armId}-step-40`];
      for (const workflowId of ids) {
        const history = await stack.server.client.workflow.getHandle(workflowId).fetchHistory();
        writeFileSync(join(dir, `${workflowId.split('-')[0]}.json`), historyToJSON(history));
      }
    }
  });

  it('cancelling an experiment stops its running job before it finishes, and leaves no job running', { timeout: 300_000 }, async () => {
    const spec = smallSpec({ name: 'to-cancel', steps: 4000, saveEvery: 1000, simulatedStepMs: 50, benchmarks: ['sycophancy-pushback-medical@1'] });
    spec.spec.arms = [{ ...BASELINE_ARM, mix: { ...BASELINE_ARM.mix, totalRecords: 2000 } }];
    spec.spec.comparisons = [];
    const { experiment } = await stack.api.experiments.launch.mutate({ clientRequestId: 'e2e-cancel-0001', spec });
    await waitForExperiment(stack, experiment.id, { predicate: (v) => v.arms.every((a) => a.trainStep > 0) });
    await stack.api.experiments.cancel.mutate({ id: experiment.id });
    // A bound for a stuck cancel, not a speed claim: training would take 4000 × 50 ms, far longer.
    const view = await waitForExperiment(stack, experiment.id, { timeoutMs: 90_000 });
    assert.equal(view.phase, 'CANCELLED');
    // Event order: the cancel stopped training, which never reached its last step.
    for (const arm of view.arms) assert.ok(arm.trainStep < 4000, `${arm.armId} trained to step ${arm.trainStep} of 4000 before it was cancelled`);
    const jobs = await stack.api.jobs.list.query({ id: experiment.id });
    assert.ok(jobs.length >= 1);
    for (const job of jobs) assert.equal(job.state, 'CANCELLED', `${job.id} is ${job.state}`);
    const backend = (await import('@ballast/server')).createBackends(stack.config)['local']!;
    for (const handle of await backend.listOwned()) {
      const obs = await backend.status(handle);
      assert.ok(obs.kind === 'state' && obs.state !== 'RUNNING' && obs.state !== 'QUEUED', `${handle.backendJobId}: ${JSON.stringify(obs)}`);
    }
  });

  it('finishes a launch whose workflow never started (a crash between storing and starting)', async () => {
    const spec = smallSpec({ name: 'orphan', steps: 40, saveEvery: 20, benchmarks: ['sycophancy-pushback-medical@1'] });
    const resolved = resolveExperimentSpec(ExperimentSpec.parse(spec));
    const id = 'exp_orphan00000000000001';
    await insertExperimentOnce(
      stack.server.db.db,
      {
        id,
        name: 'orphan',
        clientRequestId: 'orphan-request-0001',
        rawSpec: spec,
        resolvedSpec: resolved,
        specHash: 'sha256:test',
        phase: 'PENDING',
        simulated: true,
        launchedBy: 'e2e-test',
        ballastVersion: '0.0.0',
        gitCommit: null,
        workflowId: `experiment-${id}`,
      },
      resolved.spec.arms.map((arm) => ({ id: armIdFor(id, arm.name), experimentId: id, name: arm.name, seed: arm.seed, resolved: arm, totalSteps: 40 })),
    );
    const context = createApiContext({ config: stack.config, db: stack.server.db.db, temporal: stack.server.client, backends: createBackends(stack.config) });
    assert.ok((await resumePendingLaunches(context)) >= 1);
    const done = await waitForExperiment(stack, id);
    assert.equal(done.phase, 'SUCCEEDED', done.error ?? '');
  });

  it('A/A: two baseline arms that differ only in seed', async () => {
    const spec = smallSpec({
      name: 'a-a',
      steps: 120,
      arms: [
        { ...BASELINE_ARM, name: 'baseline-a', seed: 11 },
        { ...BASELINE_ARM, name: 'baseline-b', seed: 12 },
      ],
      comparisons: [{ treatment: 'baseline-b', control: 'baseline-a' }],
    });
    const { experiment } = await stack.api.experiments.launch.mutate({ clientRequestId: 'e2e-aa-00001', spec });
    const done = await waitForExperiment(stack, experiment.id);
    assert.equal(done.phase, 'SUCCEEDED', done.error ?? '');
    const { report } = await stack.api.reports.get.query({ id: experiment.id });
    const totals = report.comparisons[0]!.totals;
    process.stdout.write(`# A/A: ${totals.improved} improved, ${totals.regressed} regressed, ${totals.noChange} no change of ${totals.total} (unadjusted 95% CIs)\n`);
    assert.equal(report.comparisons[0]!.computeMatch.matched, true);
    // Item-level CIs ignore seed-to-seed training noise, so some false positives are expected; many
    // would mean the comparison is broken.
    assert.ok(totals.improved + totals.regressed <= Math.ceil(totals.total * 0.25), JSON.stringify(totals));
  });
});
