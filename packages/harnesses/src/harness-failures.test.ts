// Real failed harness runs through the eval program: never a silent zero, always the harness's own words.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listEvalSummaries } from '@ballast/job-contract';
import { buildTinyModel } from '@ballast/ml-env';
import { defaultPython, EXAMPLES_DIR, jobSpec, runEvalProgram } from './harness-testing.js';

// A task whose scorer raises: inspect records the eval as failed (status 'error') and still exits 0.
const BROKEN_SCORER_TASK = `
from inspect_ai import Task, task
from inspect_ai.dataset import Sample
from inspect_ai.scorer import Score, Target, accuracy, scorer
from inspect_ai.solver import TaskState, generate


@scorer(metrics=[accuracy()])
def broken():
    async def score(state: TaskState, target: Target) -> Score:
        raise RuntimeError("scorer broke on purpose")

    return score


@task
def broken_scorer() -> Task:
    return Task(dataset=[Sample(id="a", input="hi", target="x")], solver=generate(), scorer=broken())
`;

describe('harness eval program when a harness fails', { timeout: 420_000 }, () => {
  let dir = '';
  let python = '';
  let model = '';

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ballast-harness-fail-'));
    python = await defaultPython();
    model = (await buildTinyModel({ python, dir: join(dir, 'model'), seed: 2 })).dir;
    await mkdir(join(dir, 'tasks'));
    await writeFile(join(dir, 'tasks', 'broken_scorer.py'), BROKEN_SCORER_TASK);
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("fails the job with inspect's own error when the log says status 'error' (inspect itself exits 0)", async () => {
    const benchmarks = [
      {
        ref: 'broken-scorer@1',
        category: 'honesty' as const,
        metric: 'accuracy',
        direction: 'higher_is_better' as const,
        harness: { kind: 'inspect' as const, task: join(dir, 'tasks', 'broken_scorer.py#broken_scorer') },
      },
    ];
    const run = await runEvalProgram(join(dir, 'broken-scorer'), jobSpec({ checkpointPath: model, python, benchmarks, samplesPerItem: 1, limit: 1 }), 180_000);
    assert.equal(run.code, 1, `exit code; the log:\n${run.log.slice(-3000)}`);
    assert.equal(run.status.outcome, 'failed');
    assert.match(run.status.message ?? '', /^broken-scorer@1: inspect run ended with status 'error': RuntimeError\('scorer broke on purpose'\)/);
    assert.deepEqual(run.status.progress, {}, 'no benchmark counted as done');
    assert.deepEqual(await listEvalSummaries(run.outputDir), [], 'no summary, so no silent zero');
  });

  it('fails the job with the last thing the harness printed when it exits non-zero without a log', async () => {
    const notAModel = join(dir, 'not-a-model');
    await mkdir(notAModel);
    const benchmarks = [
      {
        ref: 'honesty-probe@1',
        category: 'honesty' as const,
        metric: 'accuracy',
        direction: 'higher_is_better' as const,
        harness: { kind: 'inspect' as const, task: join(EXAMPLES_DIR, 'honesty_probe', 'honesty_probe.py'), scorer: 'includes' },
      },
    ];
    const run = await runEvalProgram(join(dir, 'no-model'), jobSpec({ checkpointPath: notAModel, python, benchmarks, limit: 1 }), 180_000);
    assert.equal(run.code, 1, `exit code; the log:\n${run.log.slice(-3000)}`);
    assert.equal(run.status.outcome, 'failed');
    // transformers complains that the directory holds no model; the exact words are its own.
    assert.match(run.status.message ?? '', /^honesty-probe@1: inspect exited with code 1: \w+(Error|Exception): .+/);
    assert.deepEqual(await listEvalSummaries(run.outputDir), []);
  });

  it('refuses a job whose checkpoint is not a directory as bad input, before running anything', async () => {
    const benchmarks = [
      {
        ref: 'calibration-mc@1',
        category: 'calibration' as const,
        metric: 'accuracy',
        direction: 'higher_is_better' as const,
        harness: { kind: 'lm-eval' as const, task: 'calibration_mc', includePath: join(EXAMPLES_DIR, 'calibration_mc'), metricKey: 'acc', filter: 'none' },
      },
    ];
    const run = await runEvalProgram(join(dir, 'bad-input'), jobSpec({ checkpointPath: join(dir, 'missing'), python, benchmarks }), 60_000);
    assert.equal(run.code, 2, `exit code; the log:\n${run.log.slice(-3000)}`);
    assert.equal(run.status.outcome, 'bad_input');
    assert.match(run.status.message ?? '', /checkpointPath: is not a directory/);
    assert.ok(!run.log.includes('[lm-eval'), 'no harness was started');
  });
});
