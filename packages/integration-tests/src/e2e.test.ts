import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
import { startTestStack, smallSpec, waitForExperiment, BASELINE_ARM, TRAITS_ARM, type TestStack } from './index.js';

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

    // The declared analysis is checked against what the experiment evaluates; overlapping replicate seeds are refused.
    const analysis = smallSpec({ benchmarks: ['sycophancy-pushback-medical@1'] });
    Object.assign(analysis.spec, { replicates: 2, analysis: { headlineBenchmarks: ['honesty-admit-error@1'], primaryMetrics: ['sycophancy_rat'] } });
    analysis.spec.arms[1] = { ...analysis.spec.arms[1]!, seed: 4 };
    const error4 = await stack.api.experiments.launch.mutate({ clientRequestId: 'invalid-spec-4', spec: analysis }).catch((e: unknown) => e);
    const paths4 = issuesOf(error4).map((i) => i.path);
    assert.ok(paths4.includes('spec.spec.arms.1.seed'), `overlapping seeds: ${paths4.join(', ')}`);
    Object.assign(analysis.spec.arms[1]!, { seed: 3 });
    const error5 = await stack.api.experiments.launch.mutate({ clientRequestId: 'invalid-spec-5', spec: analysis }).catch((e: unknown) => e);
    assert.deepEqual(issuesOf(error5).map((i) => i.path), ['spec.spec.analysis.headlineBenchmarks.0', 'spec.spec.analysis.primaryMetrics.0']);

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
    const all = comparison.benchmarks.length;
    assert.ok(all >= 53, `N = ${all}`);
    const h = comparison.headline;
    assert.equal(h.holm.improved + h.holm.noChange + h.holm.regressed + h.holm.insufficient, h.family);
    assert.ok(h.family >= 40 && h.family < all, `the headline family is the safety benchmarks: ${h.family} of ${all}`);
    assert.ok(h.holm.improved <= h.unadjusted.improved, 'Holm never counts more than unadjusted');
    assert.equal(h.covers, 'items');
    for (const b of comparison.benchmarks) {
      assert.ok(b.verdict === 'insufficient_data' || (b.se !== null && b.df !== null && b.pValue !== null), `${b.benchmark} stores SE, df and p`);
      assert.equal(b.samplesPerItem, 4);
      assert.ok(b.clusters !== null && b.clusters >= 2, `${b.benchmark}: clusters stored`);
    }
    assert.equal(comparison.computeMatch.matched, true);
    assert.equal(comparison.computeMatch.treatment.recordsSeen, comparison.computeMatch.control.recordsSeen);
    assert.ok(comparison.computeMatch.treatment.tokensSeen !== null && comparison.computeMatch.treatment.tokensSeen > 0, 'tokens are counted');
    assert.ok(comparison.byCategory.length >= 9);
    assert.ok(h.unadjusted.improved > h.unadjusted.regressed, JSON.stringify(h));
    assert.ok(comparison.curves.length === all && comparison.curves.every((c) => c.points.length === 4), 'a curve point per evaluated checkpoint');
    assert.match(markdown, /SIMULATED/);
    // Lineage: every arm names the mix it trained on and where its manifest is.
    assert.equal(report.arms.length, 2);
    for (const arm of report.arms) {
      const [only] = arm.replicates;
      assert.ok(only && arm.replicates.length === 1);
      assert.match(only.mixId ?? '', /^mix_[0-9a-f]{24}$/);
      assert.ok(only.mixManifest && existsSync(fileURLToPath(only.mixManifest)));
      assert.ok(markdown.includes(only.mixId!));
      const shown = await stack.api.mixes.show.query({ mixId: only.mixId! });
      assert.equal((shown.manifest as { records: number }).records, 160 * 16);
    }
    assert.deepEqual(report.arms.find((a) => a.name === 'baseline')?.trainedDomains, [], 'the baseline has no trait data');
    assert.ok(existsSync(fileURLToPath(artifacts.html)), 'the HTML report is written beside the JSON');
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

  it('A/A: traits vs traits with 3 seeds per arm; the false verdicts are near nominal', async () => {
    const spec = smallSpec({
      name: 'a-a',
      steps: 80,
      arms: [
        { ...TRAITS_ARM, name: 'traits-a', seed: 11 },
        { ...TRAITS_ARM, name: 'traits-b', seed: 111 },
      ],
      comparisons: [{ treatment: 'traits-b', control: 'traits-a' }],
    });
    Object.assign(spec.spec, { replicates: 3 });
    Object.assign(spec.spec.evaluation!, { checkpoints: 'final' });
    const { experiment } = await stack.api.experiments.launch.mutate({ clientRequestId: 'e2e-aa-00001', spec });
    const done = await waitForExperiment(stack, experiment.id, { timeoutMs: 240_000 });
    assert.equal(done.phase, 'SUCCEEDED', done.error ?? '');
    const { report } = await stack.api.reports.get.query({ id: experiment.id });
    const cmp = report.comparisons[0]!;
    const h = cmp.headline;
    process.stdout.write(
      `# A/A (3 seeds per arm, seed-level intervals): Holm ${h.holm.improved} improved / ${h.holm.regressed} regressed, ` +
        `BH ${h.bh.improved}/${h.bh.regressed}, unadjusted ${h.unadjusted.improved}/${h.unadjusted.regressed} of ${h.family}\n`,
    );
    assert.equal(cmp.computeMatch.matched, true);
    assert.equal(h.covers, 'seeds-and-items');
    assert.ok(cmp.benchmarks.every((b) => b.seeds === 3 && (b.df === 2 || b.verdict === 'insufficient_data')), 'the seed is the unit');
    // Holm holds the family-wise rate at 5%: an A/A family has no false verdict 95% of the time.
    assert.equal(h.holm.improved + h.holm.regressed, 0, JSON.stringify(h));
    // Unadjusted, each benchmark errs 5% of the time: allow 5% plus three binomial standard errors.
    const bound = Math.ceil(h.family * (0.05 + 3 * Math.sqrt((0.05 * 0.95) / h.family)));
    assert.ok(h.unadjusted.improved + h.unadjusted.regressed <= bound, `${h.unadjusted.improved + h.unadjusted.regressed} unadjusted false verdicts of ${h.family}; near nominal is at most ${bound}`);
  });

  it('ballast plan prints the minimum detectable effect of every benchmark the spec evaluates', async () => {
    const spec = join(repositoryRoot(), 'examples', 'beneficial-traits.yaml');
    const { stdout } = await run(process.execPath, [CLI, 'plan', spec, '--api', stack.server.apiUrl!]);
    assert.match(stdout, /10 seeds per arm: the seed is the unit \(df = 9\)/);
    const rows = stdout.split('\n').filter((l) => /^[a-z0-9-]+@\d+/.test(l));
    assert.ok(rows.length >= 53, `a row per benchmark, got ${rows.length}`);
    for (const row of rows) assert.match(row, /\d\.\d{3}(\s+(\d\.\d{3}|—))?$/, row);
    const one = await run(process.execPath, [CLI, 'plan', spec, '--api', stack.server.apiUrl!, '--assume', 'seed=0', '--power', '0.9']);
    assert.match(one.stdout, /power 0\.9/);
    const bad = await run(process.execPath, [CLI, 'plan', spec, '--api', stack.server.apiUrl!, '--assume', 'nope=1']).catch((e: { code: number; stderr: string }) => e);
    assert.equal((bad as { code: number }).code, 2);
    assert.match((bad as { stderr: string }).stderr, /--assume nope: unknown/);
  });

  it('known truth: the pipeline finds the simulated effects where they are and none where they are not', async () => {
    const withEffect = ['honesty-misconception-medical@1', 'sycophancy-pushback-medical@1', 'spec-compliance-format-constraints@1'];
    const without = ['sycophancy-pushback-law@1', 'spec-compliance-scope-limits@1', 'honesty-misconception-science@1', 'fairness-grading-bias@1'];
    const spec = smallSpec({ name: 'known-truth', steps: 40, saveEvery: 40, simulatedStepMs: 0, benchmarks: [...withEffect, ...without] });
    // 6 seeds (df 5): with 4 (df 3), Holm's critical t over 7 benchmarks is about 5.8 and a +0.2 effect
    // went uncalled in about one draw in five. The run is deterministic (the seed shifts follow the
    // data's content), so this checks one fixed draw; power and coverage are the Monte Carlo tests'.
    Object.assign(spec.spec, { replicates: 6 });
    Object.assign(spec.spec.trainer!, { simulatedTruth: { effects: Object.fromEntries(withEffect.map((ref) => [ref, 0.2])), seedSd: 0.02 } });
    const { experiment } = await stack.api.experiments.launch.mutate({ clientRequestId: 'e2e-known-truth-01', spec });
    const done = await waitForExperiment(stack, experiment.id, { timeoutMs: 240_000 });
    assert.equal(done.phase, 'SUCCEEDED', done.error ?? '');
    const { report } = await stack.api.reports.get.query({ id: experiment.id });
    const rows = report.comparisons[0]!.benchmarks;
    process.stdout.write(`# known truth (6 seeds per arm): ${rows.map((r) => `${r.benchmark} Δ ${r.delta?.toFixed(3)} ${r.holmVerdict}`).join('; ')}\n`);
    for (const ref of withEffect) {
      const b = rows.find((r) => r.benchmark === ref);
      assert.ok(b, `${ref} compared`);
      assert.equal(b.holmVerdict, 'improved', `${ref} has a true effect of +0.2: ${JSON.stringify(b)}`);
      // Near, not exactly: items whose probability would leave [0.01, 0.99] are clamped, and the seed
      // shifts (SD 0.02) do not cancel. Interval coverage itself is the Monte Carlo tests' to prove.
      assert.ok(Math.abs(b.delta! - 0.2) < 0.06, `${ref}: Δ = ${b.delta} is near the true 0.2`);
    }
    // `ballast report ID --html` writes the same report as a self-contained page: one forest row per benchmark.
    const out = join(stack.home, 'known-truth.html');
    const printed = await run(process.execPath, [CLI, 'report', experiment.id, '--html', '--out', out, '--api', stack.server.apiUrl!]);
    assert.match(printed.stdout, /wrote the HTML report/);
    const html = readFileSync(out, 'utf8');
    assert.equal(html.match(/<g class="forest-row[ "]/g)?.length, rows.length, 'one forest row per benchmark');
    assert.match(html, /SIMULATED/);
    for (const ref of without) {
      const b = rows.find((r) => r.benchmark === ref);
      assert.ok(b, `${ref} compared`);
      assert.ok(b.holmVerdict === 'no_change' && b.verdict !== 'insufficient_data', `${ref} has no true effect: ${JSON.stringify(b)}`);
      assert.ok(Math.abs(b.delta!) < 0.06, `${ref}: Δ = ${b.delta} is near the true 0`);
    }
  });
});
