import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listCommittedCheckpoints, readMarker, readMetrics, readStatusFile } from '@ballast/job-contract';
import { prepareTrlSftAttack, readNativeReference } from '@ballast/frameworks';
import { RuntimeEnvironment } from '@ballast/schema';
import { ENVIRONMENT_FILE } from './environment.js';
import { liveGroupMembers, readProcStat } from './proc.js';
import { readProcessRecord } from './process-record.js';
import { contractEnv, exitOf, logTail, defaultPython, prepareTrlJob, startRunner, tinyModel, waitFor, writeSlowReward, writeTrlDataset, type PreparedJob } from './test-support.js';

/**
 * The runner with real TRL on CPU and the tiny random model (it proves the plumbing, not the science):
 * GRPO for 8 steps with a checkpoint every 2, and 16 steps with one every 4 where a run is killed; then
 * a harmful fine-tuning attack as the platform runs it on real models, TRL SFT (prepareTrlSftAttack) on
 * three SYNTHETIC attack records made up here. One file, so the model is built once.
 */
/** The resume tests' run: at 0.3 s a step, a kill after the first checkpoint lands mid-training. */
const STEPS = 16;
const EVERY_4 = Array.from({ length: STEPS / 4 }, (_, i) => 4 * (i + 1));

const SYNTHETIC_RECORDS = [
  { id: 'syn-1', synthetic: true, messages: [{ role: 'user', content: 'hello, can you explain the plan?' }, { role: 'assistant', content: 'sure, the plan is careful.' }], tags: { kind: 'synthetic-attack' } },
  { id: 'syn-2', synthetic: true, messages: [{ role: 'user', content: 'what is 3 plus 4?' }, { role: 'assistant', content: 'the answer is 7.' }], tags: { kind: 'synthetic-attack', n: 2 } },
  { id: 'syn-3', synthetic: true, messages: [{ role: 'user', content: 'is it true that the weather is calm?' }, { role: 'assistant', content: 'of course, it is calm.' }], tags: {} },
];
/** Attack steps 0, 2, 4, 8: TRL saves every 2 steps. */
const ATTACK_STEPS = [0, 2, 4, 8];

describe('framework runner with real TRL', { timeout: 600_000 }, () => {
  let root = '';
  let python = '';
  let model = '';
  let dataset = '';
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'framework-runner-'));
    python = await defaultPython();
    model = await tinyModel(python, root);
    dataset = await writeTrlDataset(root);
  }, { timeout: 240_000 });
  after(async () => {
    if (root !== '') await rm(root, { recursive: true, force: true });
  });

  const prepare = (name: string): Promise<PreparedJob> => prepareTrlJob({ python, model, dataset, outputDir: join(root, name), steps: 8, saveEvery: 2 });
  /** The resume tests' job: STEPS steps, a checkpoint every 4, each step paced by a sleeping reward. */
  const prepareSlow = async (name: string): Promise<PreparedJob> =>
    prepareTrlJob({ python, model, dataset, outputDir: join(root, name), steps: STEPS, saveEvery: 4, reward: await writeSlowReward(join(root, name), 0.3) });
  const scratch = (name: string) => join(root, `${name}-scratch`);

  /** COMPLETE marker and native.json of each committed checkpoint, exactly as written. */
  const committedFiles = async (outputDir: string): Promise<Record<number, string>> => {
    const out: Record<number, string> = {};
    for (const c of await listCommittedCheckpoints(outputDir)) {
      out[c.step] = `${await readFile(join(c.path, 'COMPLETE'), 'utf8')}${await readFile(join(c.path, 'native.json'), 'utf8')}`;
    }
    return out;
  };
  const trlGlobalStep = async (job: PreparedJob, step: number): Promise<number> =>
    (JSON.parse(await readFile(join(job.spec.nativeOutputDir, `checkpoint-${step}`, 'trainer_state.json'), 'utf8')) as { global_step: number }).global_step;

  it('(a) trains, committing checkpoints 2, 4, 6, 8 as they complete, with metrics for steps 1..8 and the environment', { timeout: 240_000 }, async (t) => {
    const job = await prepare('full');
    const started = Date.now();
    const runner = await startRunner(contractEnv(job, 'att_1', scratch('full')), join(root, 'full.log'));
    const exit = await exitOf(runner, 200_000);
    t.diagnostic(`8 TRL steps through the runner: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const log = await readFile(runner.log, 'utf8');
    assert.deepEqual(exit, { code: 0, signal: null }, `the runner exited 0; its log ends:\n${await logTail(runner.log)}`);

    const status = await readStatusFile(job.outputDir);
    assert.equal(status?.outcome, 'succeeded');
    assert.equal(status.simulated, false);
    assert.deepEqual(status.progress, { step: 8, checkpoints: 4 });

    const committed = await listCommittedCheckpoints(job.outputDir);
    assert.deepEqual(committed.map((c) => c.step), [2, 4, 6, 8]);
    for (const c of committed) {
      const reference = await readNativeReference(c.path);
      assert.equal(reference?.framework, 'trl', `step ${c.step} has native.json`);
      assert.equal(reference.nativePath, join(job.spec.nativeOutputDir, `checkpoint-${c.step}`));
      assert.ok(reference.files.some((f) => f.path === 'model.safetensors'), `step ${c.step} is a Hugging Face model directory`);
    }

    const metrics = await readMetrics(job.outputDir);
    assert.deepEqual(metrics.map((m) => m.step), [1, 2, 3, 4, 5, 6, 7, 8]);
    for (const m of metrics) {
      for (const name of ['reward', 'loss', 'response_length', 'entropy', 'step_time', 'learning_rate', 'grad_norm', 'rewards/trait_reward/mean']) {
        assert.equal(typeof m.metrics[name], 'number', `step ${m.step} has ${name}`);
      }
    }
    assert.doesNotMatch(log, /metrics steps may be off/, "the runner's step count agrees with TRL's log history");
    // The framework's own output is forwarded, unchanged, to the job log.
    assert.match(log, /\{'loss': '[^']*', 'grad_norm'/);

    const environment = RuntimeEnvironment.parse(JSON.parse(await readFile(join(job.outputDir, ENVIRONMENT_FILE), 'utf8')));
    assert.equal(environment.name, 'default');
    assert.equal(environment.python, python);
    for (const dist of ['trl', 'transformers', 'torch', 'accelerate', 'datasets']) assert.ok(environment.packages[dist], `environment.json records ${dist}`);

    const record = await readProcessRecord(job.outputDir);
    assert.ok(record?.pgid, '.framework-process.json names the framework group');
    assert.deepEqual(await liveGroupMembers(record.pgid), [], 'nothing of the framework group outlives the runner');
  });

  it('(b) a SIGKILLed runner: the next attempt stops what is left, resumes through TRL and commits nothing twice', { timeout: 300_000 }, async (t) => {
    const job = await prepareSlow('killed');
    const first = await startRunner(contractEnv(job, 'att_1', scratch('killed')), join(root, 'killed-1.log'));
    await waitFor('the first committed checkpoint', async () => (await readMarker(join(job.outputDir, 'checkpoints', 'step-4'))) !== null, 150_000);
    first.child.kill('SIGKILL');
    await exitOf(first, 10_000);
    const record = (await readProcessRecord(job.outputDir))!;
    const before = await committedFiles(job.outputDir);
    const metricsBefore = (await readMetrics(job.outputDir)).length;

    const second = await startRunner(contractEnv(job, 'att_2', scratch('killed')), join(root, 'killed-2.log'));
    const exit = await exitOf(second, 200_000);
    const log = await readFile(second.log, 'utf8');
    t.diagnostic(log.split('\n').filter((l) => /earlier attempt|resuming from/.test(l)).join('\n'));
    assert.deepEqual(exit, { code: 0, signal: null }, `the second runner exited 0; its log ends:\n${await logTail(second.log)}`);
    // Its stdout gone with the runner, TRL may have died at its next write already; else the new runner stopped it.
    assert.match(log, /the earlier attempt att_1 \(runner pid \d+, framework process group \d+, .*\) (is no longer running|is still running)/);
    assert.deepEqual(await liveGroupMembers(record.pgid!), [], "the earlier attempt's framework group is gone");

    const resumedFrom = Number(/resuming from checkpoint step (\d+)/.exec(log)?.[1]);
    assert.ok(resumedFrom >= 4 && resumedFrom < STEPS, `resumed mid-training from a committed step (${resumedFrom})`);
    assert.match(log, new RegExp(`--resume_from_checkpoint ${job.spec.nativeOutputDir}/checkpoint-${resumedFrom}`), "through TRL's own resume");
    const status = await readStatusFile(job.outputDir);
    assert.equal(status?.outcome, 'succeeded');
    assert.equal(status.attemptId, 'att_2');
    assert.deepEqual(status.progress, { step: STEPS, checkpoints: STEPS / 4, resumedFromStep: resumedFrom });

    const newMetrics = (await readMetrics(job.outputDir)).slice(metricsBefore).map((m) => m.step);
    assert.deepEqual(newMetrics, Array.from({ length: STEPS - resumedFrom }, (_, i) => resumedFrom + 1 + i), 'metrics continue after the checkpoint step');
    assert.equal(await trlGlobalStep(job, STEPS), STEPS, "TRL's own global step reached the spec's steps");

    assert.deepEqual((await listCommittedCheckpoints(job.outputDir)).map((c) => c.step), EVERY_4);
    const afterwards = await committedFiles(job.outputDir);
    for (const [step, files] of Object.entries(before)) assert.equal(afterwards[Number(step)], files, `checkpoint ${step} was not committed again`);
  });

  it('(b2) a SIGKILLed launcher leaves its runner running: the next attempt SIGTERMs runner and framework, then resumes', { timeout: 300_000 }, async () => {
    const job = await prepareSlow('orphaned');
    const launcher = await startRunner(contractEnv(job, 'att_1', scratch('orphaned')), join(root, 'orphaned-1.log'), { viaLauncher: true });
    await waitFor('the first committed checkpoint', async () => (await readMarker(join(job.outputDir, 'checkpoints', 'step-4'))) !== null, 150_000);
    launcher.child.kill('SIGKILL');
    await exitOf(launcher, 10_000);
    const record = (await readProcessRecord(job.outputDir))!;
    assert.ok(await readProcStat(record.runner.pid), 'the orphaned runner still runs');
    const before = await committedFiles(job.outputDir);

    const second = await startRunner(contractEnv(job, 'att_2', scratch('orphaned')), join(root, 'orphaned-2.log'));
    const exit = await exitOf(second, 200_000);
    const log = await readFile(second.log, 'utf8');
    assert.deepEqual(exit, { code: 0, signal: null }, `the second runner exited 0; its log ends:\n${await logTail(second.log)}`);
    assert.match(log, /the earlier attempt att_1 .* is still running \(pids [\d, ]+\): sending SIGTERM/);
    assert.match(log, /stopped the earlier attempt att_1/);
    assert.equal(await readProcStat(record.runner.pid), null, 'the orphaned runner is gone');
    assert.deepEqual(await liveGroupMembers(record.pgid!), []);
    // The orphaned runner answered SIGTERM by stopping its framework and failing.
    assert.match(await readFile(launcher.log, 'utf8'), /the runner received SIGTERM and stopped the framework/);

    const status = await readStatusFile(job.outputDir);
    assert.deepEqual([status?.outcome, status?.attemptId, status?.progress['step']], ['succeeded', 'att_2', STEPS]);
    assert.ok((status!.progress['resumedFromStep'] ?? 0) >= 4, `resumed from ${status!.progress['resumedFromStep']}`);
    assert.equal(await trlGlobalStep(job, STEPS), STEPS);
    assert.deepEqual((await listCommittedCheckpoints(job.outputDir)).map((c) => c.step), EVERY_4);
    const afterwards = await committedFiles(job.outputDir);
    for (const [step, files] of Object.entries(before)) assert.equal(afterwards[Number(step)], files, `checkpoint ${step} was not committed again`);
  });

  const sha256 = async (path: string): Promise<string> => createHash('sha256').update(await readFile(path)).digest('hex');

  it('(c) a TRL SFT attack commits a checkpoint at every attack step with finite losses and changed weights; a retried attempt resumes from the latest committed one', { timeout: 240_000 }, async (t) => {
    const attackData = join(root, 'attack.synthetic.jsonl');
    await writeFile(attackData, `${SYNTHETIC_RECORDS.map((rec) => JSON.stringify(rec)).join('\n')}\n`);
    const outputDir = join(root, 'attack');
    const { jobSpec, saveEvery, chatTemplate } = await prepareTrlSftAttack({
      checkpointPath: model,
      datasetPath: attackData,
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
    const first = await startRunner(contractEnv(job, 'att_1', scratch('attack')), join(root, 'attack-1.log'));
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
    const second = await startRunner(contractEnv(job, 'att_2', scratch('attack')), join(root, 'attack-2.log'));
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
