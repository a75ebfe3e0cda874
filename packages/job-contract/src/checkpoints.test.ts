import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  commitCheckpoint,
  latestCommittedCheckpoint,
  listCommittedCheckpoints,
} from './checkpoints.js';
import { hashDirectory } from './content-hash.js';

const out = () => mkdtemp(join(tmpdir(), 'jc-ckpt-'));
const writeWeights = (text: string) => async (dir: string) => {
  await writeFile(join(dir, 'params.json'), text);
  await mkdir(join(dir, 'sub'));
  await writeFile(join(dir, 'sub', 'state.json'), '{"step":1}');
};

void test('commit writes step-N with a COMPLETE marker and no temp dir left behind', async () => {
  const o = await out();
  const marker = await commitCheckpoint(o, 5, writeWeights('{"w":1}'));
  assert.equal(marker.step, 5);
  assert.match(marker.contentHash, /^sha256:[0-9a-f]{64}$/);
  assert.deepEqual((await readdir(join(o, 'checkpoints'))).sort(), ['step-5']);
  assert.deepEqual((await readdir(join(o, 'checkpoints', 'step-5'))).sort(), ['COMPLETE', 'params.json', 'sub']);
});

void test('the content hash is stable across dirs and changes with content', async () => {
  const a = await commitCheckpoint(await out(), 1, writeWeights('{"w":1}'));
  const b = await commitCheckpoint(await out(), 1, writeWeights('{"w":1}'));
  const c = await commitCheckpoint(await out(), 1, writeWeights('{"w":2}'));
  assert.equal(a.contentHash, b.contentHash);
  assert.notEqual(a.contentHash, c.contentHash);
});

void test('the hash depends on file names, not only bytes', async () => {
  const d1 = await out();
  const d2 = await out();
  await writeFile(join(d1, 'a'), 'xy');
  await writeFile(join(d2, 'ax'), 'y');
  assert.notEqual(await hashDirectory(d1), await hashDirectory(d2));
});

void test('committing a complete step again returns the existing marker and keeps the content', async () => {
  const o = await out();
  const first = await commitCheckpoint(o, 3, writeWeights('{"w":1}'));
  let called = false;
  const again = await commitCheckpoint(o, 3, async (dir) => {
    called = true;
    await writeWeights('{"w":9}')(dir);
  });
  assert.deepEqual(again, first);
  assert.equal(called, false);
});

void test('listing ignores temp dirs, unmarked dirs, corrupt and mismatched markers', async () => {
  const o = await out();
  await commitCheckpoint(o, 10, writeWeights('{"w":10}'));
  await commitCheckpoint(o, 2, writeWeights('{"w":2}'));
  const ck = join(o, 'checkpoints');
  await mkdir(join(ck, '.tmp-step-30-1-x'));
  await writeFile(join(ck, '.tmp-step-30-1-x', 'params.json'), '{}');
  await mkdir(join(ck, 'step-20'));
  await writeFile(join(ck, 'step-20', 'params.json'), '{}');
  await mkdir(join(ck, 'step-40'));
  await writeFile(join(ck, 'step-40', 'COMPLETE'), '{"not":"a marker"');
  await mkdir(join(ck, 'step-50'));
  const marker10 = (await listCommittedCheckpoints(o))[1]!.marker;
  await writeFile(join(ck, 'step-50', 'COMPLETE'), JSON.stringify(marker10));

  const listed = await listCommittedCheckpoints(o);
  assert.deepEqual(listed.map((c) => c.step), [2, 10]);
  assert.equal(listed[1]!.path, join(ck, 'step-10'));
  assert.equal((await latestCommittedCheckpoint(o))?.step, 10);
});

void test('an unmarked step dir left by a crash is replaced on the next commit', async () => {
  const o = await out();
  await mkdir(join(o, 'checkpoints', 'step-4'), { recursive: true });
  await writeFile(join(o, 'checkpoints', 'step-4', 'junk'), 'half');
  await commitCheckpoint(o, 4, writeWeights('{"w":4}'));
  assert.deepEqual((await readdir(join(o, 'checkpoints', 'step-4'))).sort(), ['COMPLETE', 'params.json', 'sub']);
});

void test('a failing writer leaves nothing behind', async () => {
  const o = await out();
  await assert.rejects(
    commitCheckpoint(o, 1, async () => {
      throw new Error('disk full');
    }),
    /disk full/,
  );
  assert.deepEqual(await readdir(join(o, 'checkpoints')), []);
  assert.equal(await latestCommittedCheckpoint(o), null);
});
