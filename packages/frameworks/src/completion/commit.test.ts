import assert from 'node:assert/strict';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { hashDirectory, listCommittedCheckpoints, readMarker } from '@ballast/job-contract';
import { commitCompleteNativeCheckpoints, commitNativeCheckpoint, NATIVE_REFERENCE_FILE, readNativeReference, verifyNativeReference } from './commit.js';

const tmp = () => mkdtemp(join(tmpdir(), 'fw-commit-'));

async function verlCheckpoint(out: string, step: number, weights: string): Promise<string> {
  const dir = join(out, `global_step_${step}`);
  await mkdir(join(dir, 'actor', 'huggingface'), { recursive: true });
  await writeFile(join(dir, 'actor', 'model_world_size_1_rank_0.pt'), weights);
  await writeFile(join(dir, 'actor', 'huggingface', 'config.json'), '{"model_type":"qwen2"}');
  await writeFile(join(out, 'latest_checkpointed_iteration.txt'), String(step));
  return dir;
}

void test('a native checkpoint becomes step-N with native.json and a valid COMPLETE marker over it', async () => {
  const native = await tmp();
  const output = await tmp();
  const nativePath = await verlCheckpoint(native, 10, 'w10');
  const result = await commitNativeCheckpoint('verl', { step: 10, nativePath }, output);
  assert.equal(result.created, true);
  assert.equal(result.step, 10);

  const dir = join(output, 'checkpoints', 'step-10');
  assert.deepEqual((await readdir(dir)).sort(), ['COMPLETE', NATIVE_REFERENCE_FILE]);
  const marker = await readMarker(dir);
  assert.deepEqual(marker, result.marker);
  assert.equal(marker!.contentHash, await hashDirectory(dir, ['COMPLETE']));

  const committed = await listCommittedCheckpoints(output);
  assert.deepEqual(committed.map((c) => c.step), [10]);

  const ref = await readNativeReference(dir);
  assert.ok(ref !== null);
  assert.equal(ref.framework, 'verl');
  assert.equal(ref.nativePath, nativePath);
  assert.deepEqual(ref.files.map((f) => f.path), ['actor/huggingface/config.json', 'actor/model_world_size_1_rank_0.pt']);
  assert.equal(ref.files[1]!.bytes, 3);
  assert.match(ref.files[1]!.sha256, /^[0-9a-f]{64}$/);
});

void test('committing again commits nothing new and returns the same marker', async () => {
  const native = await tmp();
  const output = await tmp();
  const nativePath = await verlCheckpoint(native, 10, 'w10');
  const first = await commitNativeCheckpoint('verl', { step: 10, nativePath }, output);
  const before = await readFile(join(output, 'checkpoints', 'step-10', 'COMPLETE'), 'utf8');
  // Even a changed native dir does not rewrite a committed checkpoint someone may be evaluating.
  await writeFile(join(nativePath, 'actor', 'model_world_size_1_rank_0.pt'), 'other');
  const again = await commitNativeCheckpoint('verl', { step: 10, nativePath }, output);
  assert.equal(again.created, false);
  assert.deepEqual(again.marker, first.marker);
  assert.equal(await readFile(join(output, 'checkpoints', 'step-10', 'COMPLETE'), 'utf8'), before);
  assert.deepEqual(await readdir(join(output, 'checkpoints')), ['step-10']);
});

void test('the content hash follows the native bytes', async () => {
  const commitWith = async (weights: string) => {
    const native = await tmp();
    const nativePath = await verlCheckpoint(native, 5, weights);
    return (await commitNativeCheckpoint('verl', { step: 5, nativePath }, await tmp())).marker.contentHash;
  };
  const a = await commitWith('same');
  const b = await commitWith('different');
  assert.notEqual(a, b);
});

void test('commitCompleteNativeCheckpoints commits each complete step once, skipping incomplete ones', async () => {
  const native = await tmp();
  const output = await tmp();
  await verlCheckpoint(native, 10, 'w10');
  await verlCheckpoint(native, 20, 'w20');
  await mkdir(join(native, 'global_step_30', 'actor'), { recursive: true }); // being written: tracker says 20

  const first = await commitCompleteNativeCheckpoints('verl', native, output);
  assert.deepEqual(first.map((r) => [r.step, r.created]), [[10, true], [20, true]]);

  const second = await commitCompleteNativeCheckpoints('verl', native, output);
  assert.deepEqual(second.map((r) => [r.step, r.created]), [[10, false], [20, false]]);

  await writeFile(join(native, 'global_step_30', 'actor', 'model_world_size_1_rank_0.pt'), 'w30');
  await writeFile(join(native, 'latest_checkpointed_iteration.txt'), '30');
  const third = await commitCompleteNativeCheckpoints('verl', native, output);
  assert.deepEqual(third.map((r) => [r.step, r.created]), [[10, false], [20, false], [30, true]]);
  assert.deepEqual((await listCommittedCheckpoints(output)).map((c) => c.step), [10, 20, 30]);
});

void test('OpenRLHF and TRL checkpoints commit the same way', async () => {
  const native = await tmp();
  const output = await tmp();
  await mkdir(join(native, 'ckpt', '_actor', 'global_step4'), { recursive: true });
  await writeFile(join(native, 'ckpt', '_actor', 'global_step4', 'mp_rank_00_model_states.pt'), 'm');
  await writeFile(join(native, 'ckpt', '_actor', 'latest'), 'global_step4');
  assert.deepEqual((await commitCompleteNativeCheckpoints('openrlhf', native, output, { runEnded: true })).map((r) => r.step), [4]);

  const trl = await tmp();
  await mkdir(join(trl, 'checkpoint-8'));
  await writeFile(join(trl, 'checkpoint-8', 'trainer_state.json'), '{"global_step":8}');
  const committed = await commitCompleteNativeCheckpoints('trl', trl, output);
  assert.deepEqual(committed.map((r) => r.step), [8]);
  assert.equal((await readNativeReference(join(output, 'checkpoints', 'step-8')))!.framework, 'trl');
});

void test('verifyNativeReference names missing, changed and unexpected files', async () => {
  const native = await tmp();
  const output = await tmp();
  const nativePath = await verlCheckpoint(native, 3, 'w3');
  await commitNativeCheckpoint('verl', { step: 3, nativePath }, output);
  const ref = (await readNativeReference(join(output, 'checkpoints', 'step-3')))!;
  assert.deepEqual(await verifyNativeReference(ref), { ok: true, problems: [] });

  await appendFile(join(nativePath, 'actor', 'model_world_size_1_rank_0.pt'), '!');
  await rm(join(nativePath, 'actor', 'huggingface', 'config.json'));
  await writeFile(join(nativePath, 'stray.txt'), 's');
  const result = await verifyNativeReference(ref);
  assert.equal(result.ok, false);
  assert.deepEqual(result.problems.sort(), [
    'actor/huggingface/config.json: missing',
    'actor/model_world_size_1_rank_0.pt: changed',
    'stray.txt: not in the reference',
  ]);

  await rm(nativePath, { recursive: true });
  const gone = await verifyNativeReference(ref);
  assert.equal(gone.ok, false);
  assert.match(gone.problems[0]!, /cannot be read/);
});

void test('readNativeReference is null without a valid native.json', async () => {
  const dir = await tmp();
  assert.equal(await readNativeReference(dir), null);
  await writeFile(join(dir, NATIVE_REFERENCE_FILE), '{"referenceVersion":2}');
  assert.equal(await readNativeReference(dir), null);
  await writeFile(join(dir, NATIVE_REFERENCE_FILE), 'not json');
  assert.equal(await readNativeReference(dir), null);
});
