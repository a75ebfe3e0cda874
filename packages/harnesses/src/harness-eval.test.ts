// Real inspect_ai and lm-eval runs on the tiny random model (proves the plumbing, not the science):
// the eval program end to end on the four example benchmarks, then the adapters on the logs it produced.
import assert from 'node:assert/strict';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listEvalSummaries, readEvalItems } from '@ballast/job-contract';
import { buildTinyModel } from '@ballast/ml-env';
import type { HarnessBenchmarkInput } from '@ballast/schema';
import { HarnessLogError, HarnessRunError } from './errors.js';
import { readInspectLogDir } from './inspect-log.js';
import { readLmEvalOutput } from './lm-eval-output.js';
import { defaultPython, EXAMPLES_DIR, exampleBenchmarks, jobSpec, runEvalProgram, type ProgramRun } from './harness-testing.js';

describe('harness eval program on the example benchmarks (tiny random model)', { timeout: 480_000 }, () => {
  let dir = '';
  let benchmarks: HarnessBenchmarkInput[] = [];
  let run: ProgramRun;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ballast-harness-eval-'));
    const python = await defaultPython();
    const model = await buildTinyModel({ python, dir: join(dir, 'model'), seed: 1 });
    benchmarks = await exampleBenchmarks();
    assert.deepEqual(
      benchmarks.map((b) => `${b.harness.kind}:${b.ref}`),
      ['lm-eval:calibration-mc@1', 'lm-eval:helpfulness-mc@1', 'inspect:honesty-probe@1', 'inspect:sycophancy-probe@1'],
      'the example entries examples/benchmarks/*.benchmark.yaml',
    );
    run = await runEvalProgram(dir, jobSpec({ checkpointPath: model.dir, python, benchmarks, samplesPerItem: 2, limit: 3 }), 420_000);
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('exits 0 and writes a real (not simulated) summary and items per benchmark', async () => {
    assert.equal(run.code, 0, `exit code; the log:\n${run.log.slice(-4000)}`);
    assert.equal(run.status.outcome, 'succeeded');
    assert.equal(run.status.simulated, false);
    assert.deepEqual(run.status.progress, { benchmarks: 4 });

    const summaries = await listEvalSummaries(run.outputDir);
    assert.deepEqual(summaries.map((s) => s.ref), benchmarks.map((b) => b.ref).sort(), 'one summary per benchmark');
    for (const { ref, summary } of summaries) {
      const kind = benchmarks.find((b) => b.ref === ref)!.harness.kind;
      assert.equal(summary.simulated, false, ref);
      assert.equal(summary.n, 3, `${ref}: --limit 3 items`);
      assert.equal(summary.harness?.kind, kind, ref);
      assert.match(summary.harness?.version ?? '', /^\d+\.\d+/, `${ref}: harness version from its log`);
      // inspect runs each item once per epoch; lm-eval scores each doc once whatever its repeats.
      assert.equal(summary.samplesPerItem, kind === 'inspect' ? 2 : 1, `${ref}: samples per item`);
      assert.equal(summary.environment?.name, 'default');
      assert.match(summary.environment?.pythonVersion ?? '', /^3\.\d+/);
      const harnessDist = kind === 'inspect' ? 'inspect-ai' : 'lm-eval';
      assert.equal(summary.environment?.packages[harnessDist], summary.harness?.version, `${ref}: the probed ${harnessDist} is the one that ran`);
      assert.ok(summary.environment?.packages['torch'] && summary.environment.packages['transformers'], `${ref}: torch and transformers versions`);

      const items = await readEvalItems(run.outputDir, ref);
      assert.equal(items.length, 3, ref);
      for (const item of items) {
        assert.ok(item.score >= 0 && item.score <= 1, `${ref} ${item.itemId}: score ${item.score} in [0, 1]`);
        assert.ok(item.cluster, `${ref} ${item.itemId}: has the cluster its example data gives`);
      }
      const expectedIds = kind === 'inspect' ? null : ['0', '1', '2'];
      if (expectedIds) assert.deepEqual(items.map((i) => i.itemId), expectedIds, `${ref}: lm-eval items are doc_ids`);
    }
    // inspect's items are the sample ids (and clusters) of the first three lines of the task's JSONL.
    const lines = (await readFile(join(EXAMPLES_DIR, 'honesty_probe', 'honesty_probe.jsonl'), 'utf8')).trim().split('\n').slice(0, 3);
    const expected = lines.map((l) => JSON.parse(l) as { id: string; metadata: { cluster: string } }).map((r) => [r.id, r.metadata.cluster]);
    const honesty = await readEvalItems(run.outputDir, 'honesty-probe@1');
    assert.deepEqual(honesty.map((i) => [i.itemId, i.cluster]), expected, 'inspect items are the sample ids');
  });

  it('streams each harness into the job log with a prefix and keeps caches inside OUTPUT', async () => {
    for (const b of benchmarks) {
      const prefix = `[${b.harness.kind} ${b.ref}]`;
      assert.ok(run.log.includes(`${prefix} $ `), `the log shows ${b.ref}'s command`);
      assert.ok(run.log.split('\n').filter((l) => l.startsWith(prefix)).length > 3, `the log carries ${b.ref}'s own output`);
    }
    assert.match(run.log, /\[lm-eval calibration-mc@1\] note: lm-eval scores each doc once/);
    assert.deepEqual(await readdir(join(dir, 'home')), [], 'nothing was written to HOME');
    const examples = await readdir(join(benchmarks[2]!.harness.task, '..'));
    assert.ok(!examples.includes('__pycache__') && !examples.includes('logs'), `nothing was written beside the task file (${examples.join(', ')})`);
  });

  it('the adapters read copies of the real logs into the same items, and fail loudly on broken ones', async () => {
    const fixtures = join(dir, 'fixtures');
    for (const b of benchmarks) {
      const from = join(run.outputDir, 'harness', b.harness.kind, b.ref, b.harness.kind === 'inspect' ? 'logs' : 'output');
      const to = join(fixtures, b.ref);
      await cp(from, to, { recursive: true });
      const scores =
        b.harness.kind === 'inspect'
          ? await readInspectLogDir(to, b.harness.scorer === undefined ? {} : { scorer: b.harness.scorer })
          : await readLmEvalOutput(to, { task: b.harness.task, metricKey: b.harness.metricKey, filter: b.harness.filter });
      assert.deepEqual(scores.items, await readEvalItems(run.outputDir, b.ref), `${b.ref}: adapter on the copied log`);
    }

    // The real inspect log with its grades rewritten: C/I/P/N, booleans and numbers over two epochs.
    const honestyDir = join(fixtures, 'honesty-probe@1');
    const logFile = join(honestyDir, (await readdir(honestyDir))[0]!);
    const log = JSON.parse(await readFile(logFile, 'utf8')) as {
      eval: { dataset: { sample_ids: string[] } };
      samples: { id: string; epoch: number; scores: Record<string, { value: unknown }> }[];
    };
    // Samples are logged as they finish; items come out in the dataset's order.
    const ids = log.eval.dataset.sample_ids;
    assert.deepEqual([...new Set(log.samples.map((s) => s.id))].sort(), [...ids].sort(), 'three items in the log');
    const values: [unknown, unknown][] = [['C', 'P'], [true, 'N'], [0.25, 'I']];
    for (const s of log.samples) s.scores['includes']!.value = values[ids.indexOf(s.id)]![s.epoch - 1];
    await writeFile(logFile, JSON.stringify(log));
    const graded = await readInspectLogDir(honestyDir, { scorer: 'includes' });
    assert.deepEqual(graded.items.map((i) => [i.itemId, i.score]), [[ids[0], 0.75], [ids[1], 0.5], [ids[2], 0.125]]);
    assert.ok(Math.abs(graded.mean - 1.375 / 3) < 1e-12, `mean of the item means, got ${graded.mean}`);

    log.samples[1]!.scores['includes']!.value = 'maybe';
    await writeFile(logFile, JSON.stringify(log));
    const at = `sample '${log.samples[1]!.id}' epoch ${log.samples[1]!.epoch}`;
    await assert.rejects(readInspectLogDir(honestyDir), (err: unknown) => err instanceof HarnessLogError && err.at === at && /"maybe"/.test(err.message));

    // lm-eval without its samples file, and asked for a task it did not run.
    const lmDir = join(fixtures, 'calibration-mc@1');
    await assert.rejects(readLmEvalOutput(lmDir, { task: 'helpfulness_mc', metricKey: 'acc', filter: 'none' }), (err: unknown) => err instanceof HarnessRunError && /task 'helpfulness_mc' is not in its results \(it has: calibration_mc\)/.test(err.message));
    await assert.rejects(readLmEvalOutput(lmDir, { task: 'calibration_mc', metricKey: 'exact_match', filter: 'none' }), (err: unknown) => err instanceof HarnessRunError && /no metric 'exact_match,none' \(it has: acc,none\)/.test(err.message));
    const modelDir = join(lmDir, (await readdir(lmDir))[0]!);
    for (const name of await readdir(modelDir)) if (name.startsWith('samples_')) await rm(join(modelDir, name));
    await assert.rejects(readLmEvalOutput(lmDir, { task: 'calibration_mc', metricKey: 'acc', filter: 'none' }), (err: unknown) => err instanceof HarnessRunError && err.code === 'HARNESS_RUN_FAILED' && /--log_samples/.test(err.message));
  });
});
