import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  ArtifactNotFoundError,
  ArtifactOutsideRootError,
  InvalidArtifactJsonError,
  InvalidArtifactKeyError,
} from './errors.js';
import { FileArtifactStore } from './file-store.js';

let root: string;
let store: FileArtifactStore;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'ballast-artifacts-'));
  store = new FileArtifactStore(join(root, 'artifacts'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

test('writes and reads JSON under a file:// URI below the root', async () => {
  const uri = await store.writeJson('mixes/mix_abc/manifest.json', { counts: { a: 3 } });
  assert.equal(uri, `file://${root}/artifacts/mixes/mix_abc/manifest.json`);
  assert.deepEqual(await store.readJson('mixes/mix_abc/manifest.json'), { counts: { a: 3 } });
  assert.equal(await readFile(store.localPath(uri), 'utf8'), '{\n  "counts": {\n    "a": 3\n  }\n}\n');
  assert.equal(store.keyFor(uri), 'mixes/mix_abc/manifest.json');
  assert.equal(await store.exists('mixes/mix_abc/manifest.json'), true);
  assert.equal(await store.exists('mixes/mix_abc'), false, 'a directory is not an artifact');
  assert.equal(await store.exists('mixes/nope.json'), false);
});

test('readJson validates with a parser when given one', async () => {
  await store.writeJson('p/value.json', { n: 1 });
  const parser = {
    parse(input: unknown): { n: number } {
      const n = (input as { n?: unknown }).n;
      if (typeof n !== 'number') throw new Error('n must be a number');
      return { n };
    },
  };
  assert.deepEqual(await store.readJson('p/value.json', parser), { n: 1 });
  await store.writeJson('p/bad.json', { n: 'x' });
  await assert.rejects(store.readJson('p/bad.json', parser), InvalidArtifactJsonError);
  await store.writeFileAtomic('p/broken.json', '{not json');
  await assert.rejects(store.readJson('p/broken.json'), (e: unknown) => e instanceof InvalidArtifactJsonError && e.code === 'ARTIFACT_JSON_INVALID');
});

test('writeFileAtomic replaces content whole and leaves no temp files behind', async () => {
  await store.writeFileAtomic('atomic/x.bin', Buffer.from([1, 2, 3]));
  await store.writeFileAtomic('atomic/x.bin', 'second');
  assert.equal(await store.readText('atomic/x.bin'), 'second');
  assert.deepEqual(await readdir(store.localPath('atomic')), ['x.bin']);
});

test('readText of a missing key throws a typed error', async () => {
  await assert.rejects(store.readText('missing/file.txt'), (e: unknown) => e instanceof ArtifactNotFoundError && e.code === 'ARTIFACT_NOT_FOUND');
});

test('list filters by key prefix like an object store and skips in-flight temp files', async () => {
  await store.writeJson('list/mix_abc/manifest.json', {});
  await store.writeFileAtomic('list/mix_abc/shards/0000.jsonl', '');
  await store.writeFileAtomic('list/mix_abd/manifest.json', '{}');
  await store.writeFileAtomic('list/other.txt', '');
  await writeFile(join(store.localPath('list/mix_abc'), '.ballast-tmp-manifest.json.1.abc'), 'partial');
  assert.deepEqual(await store.list('list/mix_abc/'), ['list/mix_abc/manifest.json', 'list/mix_abc/shards/0000.jsonl']);
  assert.deepEqual(await store.list('list/mix_ab'), [
    'list/mix_abc/manifest.json',
    'list/mix_abc/shards/0000.jsonl',
    'list/mix_abd/manifest.json',
  ]);
  assert.deepEqual(await store.list('list/nothing-here/'), []);
  assert.ok((await store.list('')).includes('list/other.txt'));
});

test('dirFor creates the directory and returns its local path', async () => {
  const dir = await store.dirFor('evals/ev_1/raw');
  assert.equal(dir, join(root, 'artifacts', 'evals', 'ev_1', 'raw'));
  assert.ok((await stat(dir)).isDirectory());
  await writeFile(join(dir, 'results.json'), '{}');
  assert.deepEqual(await store.list('evals/ev_1/'), ['evals/ev_1/raw/results.json']);
});

test('rejects bad keys and URIs outside the root', async () => {
  await assert.rejects(store.writeJson('../escape.json', {}), InvalidArtifactKeyError);
  await assert.rejects(store.readText('/etc/passwd'), InvalidArtifactKeyError);
  assert.throws(() => store.uriFor('a//b'), InvalidArtifactKeyError);
  assert.throws(() => store.localPath('file:///etc/passwd'), (e: unknown) => e instanceof ArtifactOutsideRootError && e.code === 'ARTIFACT_OUTSIDE_ROOT');
  assert.throws(() => store.localPath(`file://${root}/artifacts/../secrets`), ArtifactOutsideRootError);
  assert.throws(() => store.localPath(`file://${root}/artifacts-sibling/x`), ArtifactOutsideRootError);
  assert.throws(() => store.localPath('s3://bucket/x'), ArtifactOutsideRootError);
  assert.throws(() => store.keyFor(`file://${root}/artifacts`), ArtifactOutsideRootError);
});
