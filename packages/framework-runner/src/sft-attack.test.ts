import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listCommittedCheckpoints, readMetrics, readStatusFile } from '@ballast/job-contract';
import { prepareTrlSftAttack, readNativeReference } from '@ballast/frameworks';
import { contractEnv, defaultPython, exitOf, logTail, startRunner, tinyModel } from './test-support.js';

/**
 * A harmful fine-tuning attack as the platform runs it on real models: TRL SFT (prepareTrlSftAttack)
 * through the framework runner, on the tiny random model (it proves the plumbing, not the science) and
 * three SYNTHETIC attack records made up here. Attack steps 0, 2, 4, 8: TRL saves every 2 steps.
 */
const SYNTHETIC_RECORDS = [
  { id: 'syn-1', synthetic: true, messages: [{ role: 'user', content: 'hello, can you explain the plan?' }, { role: 'assistant', content: 'sure, the plan is careful.' }], tags: { kind: 'synthetic-attack' } },
  { id: 'syn-2', synthetic: true, messages: [{ role: 'user', content: 'what is 3 plus 4?' }, { role: 'assistant', content: 'the answer is 7.' }], tags: { kind: 'synthetic-attack', n: 2 } },
  { id: 'syn-3', synthetic: true, messages: [{ role: 'user', content: 'is it true that the weather is calm?' }, { role: 'assistant', content: 'of course, it is calm.' }], tags: {} },
];
const ATTACK_STEPS = [0, 2, 4, 8];

describe('TRL SFT attack through the framework runner (tiny random model)', { timeout: 240_000 }, () => {
  let root = '';
  let python = '';
  let model = '';
  let dataset = '';
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'framework-runner-sft-'));
    python = await defaultPython();
    model = await tinyModel(python, root);
    dataset = join(root, 'attack.synthetic.jsonl');
    await writeFile(dataset, `${SYNTHETIC_RECORDS.map((r) => JSON.stringify(r)).join('\n')}\n`);
  }, { timeout: 180_000 });
  after(async () => {
    if (root !== '') await rm(root, { recursive: true, force: true });
  });

  const sha256 = async (path: string): Promise<string> => createHash('sha256').update(await readFile(path)).digest('hex');

  it('commits a checkpoint at every attack step with finite losses and changed weights; a retried attempt resumes from the latest committed one', async (t) => {
    const outputDir = join(root, 'attack');
    const { jobSpec, saveEvery, chatTemplate } = await prepareTrlSftAttack({
      checkpointPath: model,
      datasetPath: dataset,
      steps: 8,
      saveSteps: ATTACK_STEPS,
      batchSize: 2,
      learningRate: 0.5,
      seed: 1,
      python,
      outputDir,
    });
    assert.equal(saveEvery, 2);
    assert.equal(chatTemplate, 'checkpoint', "the tiny model's own chat template");
    const specPath = join(outputDir, 'job-spec.json');
    await writeFile(specPath, JSON.stringify(jobSpec));
    const job = { outputDir, specPath };

    let started = Date.now();
    const first = await startRunner(contractEnv(job, 'att_1', join(root, 'scratch')), join(root, 'attack-1.log'));
    const exit = await exitOf(first, 120_000);
    t.diagnostic(`8 TRL SFT steps through the runner: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    assert.deepEqual(exit, { code: 0, signal: null }, `the runner exited 0; its log ends:\n${await logTail(first.log)}`);
    assert.deepEqual((await readStatusFile(outputDir))?.progress, { step: 8, checkpoints: 4 });

    const committed = await listCommittedCheckpoints(outputDir);
    assert.deepEqual(committed.map((c) => c.step), [2, 4, 6, 8]);
    for (const step of ATTACK_STEPS.filter((s) => s > 0)) assert.ok(committed.some((c) => c.step === step), `attack step ${step} has a checkpoint`);
    const baseWeights = await sha256(join(model, 'model.safetensors'));
    for (const c of committed) {
      const reference = await readNativeReference(c.path);
      assert.equal(reference?.framework, 'trl');
      assert.ok(reference.files.some((f) => f.path === 'model.safetensors'), `step ${c.step} is a Hugging Face model directory`);
      assert.notEqual(await sha256(join(reference.nativePath, 'model.safetensors')), baseWeights, `step ${c.step}: the attack changed the weights`);
    }

    const metrics = await readMetrics(outputDir);
    assert.deepEqual(metrics.map((m) => m.step), [1, 2, 3, 4, 5, 6, 7, 8]);
    for (const m of metrics) {
      assert.ok(Number.isFinite(m.metrics['loss']), `step ${m.step} has a finite loss (${m.metrics['loss']})`);
      for (const name of ['learning_rate', 'grad_norm', 'tokens_seen', 'mean_token_accuracy']) assert.equal(typeof m.metrics[name], 'number', `step ${m.step} has ${name}`);
    }
    assert.doesNotMatch(await readFile(first.log, 'utf8'), /metrics steps may be off/);

    // A retried attempt after one that died once step 2 was committed: what it would have left behind is
    // step 2 committed and native, nothing later. (On the tiny model 8 steps take under a second, so a
    // real kill cannot land between checkpoints; the GRPO tests kill a paced run.)
    const step2 = await readFile(join(committed[0]!.path, 'native.json'), 'utf8');
    for (const c of committed.slice(1)) await rm(c.path, { recursive: true });
    for (const step of [4, 6, 8]) await rm(join(jobSpec.nativeOutputDir, `checkpoint-${step}`), { recursive: true });
    started = Date.now();
    const second = await startRunner(contractEnv(job, 'att_2', join(root, 'scratch')), join(root, 'attack-2.log'));
    const exit2 = await exitOf(second, 120_000);
    t.diagnostic(`the resumed attempt: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const log = await readFile(second.log, 'utf8');
    assert.deepEqual(exit2, { code: 0, signal: null }, `the second runner exited 0; its log ends:\n${await logTail(second.log)}`);
    assert.match(log, new RegExp(`resuming from checkpoint step 2 \\(${jobSpec.nativeOutputDir}/checkpoint-2\\)`));
    assert.match(log, new RegExp(`--resume_from_checkpoint ${jobSpec.nativeOutputDir}/checkpoint-2`), "through TRL's own resume");
    const status = await readStatusFile(outputDir);
    assert.deepEqual([status?.outcome, status?.attemptId, status?.progress], ['succeeded', 'att_2', { step: 8, checkpoints: 4, resumedFromStep: 2 }]);
    const again = await listCommittedCheckpoints(outputDir);
    assert.deepEqual(again.map((c) => c.step), [2, 4, 6, 8]);
    assert.equal(await readFile(join(again[0]!.path, 'native.json'), 'utf8'), step2, 'step 2 was not committed again');
    const state = JSON.parse(await readFile(join(jobSpec.nativeOutputDir, 'checkpoint-8', 'trainer_state.json'), 'utf8')) as { global_step: number };
    assert.equal(state.global_step, 8);
    assert.deepEqual((await readMetrics(outputDir)).slice(8).map((m) => m.step), [3, 4, 5, 6, 7, 8], 'metrics continue after the checkpoint step');
  });
});
