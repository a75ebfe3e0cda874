import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { listCompleteOpenRlhfCheckpoints } from './openrlhf.js';
import { listCompleteNativeCheckpoints } from './rules.js';
import { listCompleteTrlCheckpoints } from './trl.js';
import { listCompleteVerlCheckpoints } from './verl.js';

const tmp = () => mkdtemp(join(tmpdir(), 'fw-native-'));
const steps = (list: { step: number }[]) => list.map((c) => c.step);

async function put(path: string, contents = 'x'): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, contents);
}

/** verl's layout: global_step_N/actor/... plus the tracker in the output dir. */
async function verlRun(tracker: string | null, written: number[]): Promise<string> {
  const out = await tmp();
  for (const n of written) {
    await put(join(out, `global_step_${n}`, 'actor', 'model_world_size_8_rank_0.pt'), `weights ${n}`);
    await put(join(out, `global_step_${n}`, 'actor', 'extra_state_world_size_8_rank_0.pt'), `extra ${n}`);
  }
  if (tracker !== null) await put(join(out, 'latest_checkpointed_iteration.txt'), tracker);
  return out;
}

void test('verl: a step dir counts only up to the step in latest_checkpointed_iteration.txt', async () => {
  const out = await verlRun('20', [10, 20, 30]);
  const listed = await listCompleteVerlCheckpoints(out);
  assert.deepEqual(steps(listed), [10, 20]);
  assert.equal(listed[0]!.nativePath, join(out, 'global_step_10'));
});

void test('verl: without a readable tracker nothing is complete', async () => {
  assert.deepEqual(await listCompleteVerlCheckpoints(await verlRun(null, [10])), []);
  assert.deepEqual(await listCompleteVerlCheckpoints(await verlRun('twenty', [10])), []);
  assert.deepEqual(await listCompleteVerlCheckpoints(await verlRun('', [10])), []);
  assert.deepEqual(await listCompleteVerlCheckpoints(join(await tmp(), 'not-there')), []);
});

void test('verl: the tracker may end in a newline; files and odd names are not checkpoints', async () => {
  const out = await verlRun('30\n', [10, 30]);
  await put(join(out, 'global_step_20'), 'a file, not a dir');
  await mkdir(join(out, 'global_step_05'));
  await mkdir(join(out, 'global_step_10.tmp'));
  assert.deepEqual(steps(await listCompleteVerlCheckpoints(out)), [10, 30]);
});

/** OpenRLHF's layout: ckpt/_actor/global_stepN/ with DeepSpeed's `latest`, plus ckpt/global_stepN_hf/. */
async function openRlhfRun(latest: string | null, written: number[]): Promise<string> {
  const out = await tmp();
  const actor = join(out, 'ckpt', '_actor');
  for (const n of written) {
    await put(join(actor, `global_step${n}`, 'mp_rank_00_model_states.pt'), `model ${n}`);
    await put(join(actor, `global_step${n}`, 'bf16_zero_pp_rank_0_mp_rank_00_optim_states.pt'), `optim ${n}`);
    await put(join(out, 'ckpt', `global_step${n}_hf`, 'model.safetensors'), `hf ${n}`);
  }
  if (latest !== null) await put(join(actor, 'latest'), latest);
  return out;
}

void test('OpenRLHF: a tag counts once DeepSpeed latest names a later tag, or names it and the run has ended', async () => {
  const out = await openRlhfRun('global_step20', [10, 20, 30]);
  // The HF copy of the tag latest names may still be being written.
  assert.deepEqual(steps(await listCompleteOpenRlhfCheckpoints(out)), [10]);
  const listed = await listCompleteOpenRlhfCheckpoints(out, { runEnded: true });
  assert.deepEqual(steps(listed), [10, 20]);
  assert.equal(listed[1]!.nativePath, join(out, 'ckpt', '_actor', 'global_step20'));
});

void test('OpenRLHF: no latest, or a latest naming no step tag, means nothing is complete', async () => {
  assert.deepEqual(await listCompleteOpenRlhfCheckpoints(await openRlhfRun(null, [10])), []);
  assert.deepEqual(await listCompleteOpenRlhfCheckpoints(await openRlhfRun('best', [10])), []);
  assert.deepEqual(await listCompleteOpenRlhfCheckpoints(await tmp()), []);
});

void test('OpenRLHF: HF copies and numbered names that are not DeepSpeed tags are ignored', async () => {
  const out = await openRlhfRun('global_step30\n', [10, 30]);
  await mkdir(join(out, 'ckpt', '_actor', 'global_step20_hf'));
  await mkdir(join(out, 'ckpt', '_actor', 'global_step_20'));
  assert.deepEqual(steps(await listCompleteOpenRlhfCheckpoints(out, { runEnded: true })), [10, 30]);
});

/** TRL's layout: checkpoint-N/ with trainer_state.json written by the Trainer. */
async function trlRun(states: Record<number, string | null>): Promise<string> {
  const out = await tmp();
  for (const [n, state] of Object.entries(states)) {
    await put(join(out, `checkpoint-${n}`, 'model.safetensors'), `weights ${n}`);
    if (state !== null) await put(join(out, `checkpoint-${n}`, 'trainer_state.json'), state);
  }
  return out;
}

void test('TRL: a checkpoint counts when trainer_state.json parses with global_step equal to N', async () => {
  const out = await trlRun({
    10: JSON.stringify({ global_step: 10, log_history: [{ reward: 0.4, kl: 0.01, step: 10 }] }),
    20: null,
    30: '{"global_step": 30, "log_hist',
    40: JSON.stringify({ global_step: 39 }),
    50: JSON.stringify({ global_step: '50' }),
    60: JSON.stringify({ global_step: 60 }),
  });
  const listed = await listCompleteTrlCheckpoints(out);
  assert.deepEqual(steps(listed), [10, 60]);
  assert.equal(listed[0]!.nativePath, join(out, 'checkpoint-10'));
});

void test('TRL: a missing output dir has no checkpoints', async () => {
  assert.deepEqual(await listCompleteTrlCheckpoints(join(await tmp(), 'missing')), []);
});

void test('listCompleteNativeCheckpoints applies the named framework\'s rule, sorted by step', async () => {
  const verl = await verlRun('100', [100, 9, 20]);
  assert.deepEqual(steps(await listCompleteNativeCheckpoints('verl', verl)), [9, 20, 100]);
  const openrlhf = await openRlhfRun('global_step5', [5]);
  assert.deepEqual(steps(await listCompleteNativeCheckpoints('openrlhf', openrlhf)), []);
  assert.deepEqual(steps(await listCompleteNativeCheckpoints('openrlhf', openrlhf, { runEnded: true })), [5]);
  assert.deepEqual(await listCompleteNativeCheckpoints('trl', verl), []);
  await assert.rejects(listCompleteNativeCheckpoints('megatron' as never, verl), /framework/);
});
