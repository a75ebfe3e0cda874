import assert from 'node:assert/strict';
import { mkdtemp, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  EXCERPT_BYTES,
  MalformedSourceRateError,
  registerSource,
  releaseIdleScanWorkers,
  scanWorkerThreads,
  SourceRegistrationAbortedError,
  UnknownTagValueError,
  UnsupportedSourceError,
} from './index.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ballast-sources-hard-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const good = (i: number, tags: Record<string, unknown> = { kind: 'trait', trait: 'honesty', domain: 'law' }): string =>
  JSON.stringify({ id: `r${i}`, messages: [{ role: 'user', content: `q${i}` }], tags });

/** Every file and directory under `root`, with its permission bits. */
async function modes(root: string): Promise<{ path: string; mode: number; dir: boolean }[]> {
  const out: { path: string; mode: number; dir: boolean }[] = [];
  for (const name of await readdir(root, { recursive: true })) {
    const s = await stat(join(root, name));
    out.push({ path: name, mode: s.mode & 0o777, dir: s.isDirectory() });
  }
  return out;
}

describe('registerSource: what a source leaves behind', { timeout: 60_000 }, () => {
  // Looks like a shadow file: every line is malformed, and its text must not be copied anywhere.
  const secret = (n: number): string =>
    Array.from({ length: n }, (_, i) => `user${i}:$6$SECRETSALT${i}$${'h'.repeat(300)}:19000:0:99999:7:::\x1b]0;title\x07`).join('\n') + '\n';

  it('quarantines an escaped excerpt of at most 200 bytes, owner-only, and no reason quotes the line', async () => {
    const path = join(dir, 'shadow-like');
    await writeFile(path, secret(20));
    const storeDir = join(dir, 'store-q');
    const reg = await registerSource({ path, storeDir, maxMalformedRate: 1 });
    assert.equal(reg.malformed.count, 20);
    const entries = (await readFile(reg.quarantinePath!, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { line: number; reason: string; text: string });
    assert.equal(entries.length, 20);
    for (const e of entries) {
      assert.ok(Buffer.byteLength(e.text) <= EXCERPT_BYTES, `excerpt of line ${e.line} is ${Buffer.byteLength(e.text)} bytes`);
      assert.ok(!/[\x00-\x1f\x7f]/.test(e.text), `excerpt of line ${e.line} holds a raw control character`);
      assert.doesNotMatch(e.reason, /SECRET|user\d/);
    }
    assert.match(entries[0]!.text, /^user0:\$6\$SECRETSALT0/);
    const registration = await readFile(join(reg.indexPath, '..', 'registration.json'), 'utf8');
    assert.doesNotMatch(registration, /SECRET/);
    for (const m of await modes(storeDir)) assert.equal(m.mode, m.dir ? 0o700 : 0o600, `${m.path} has mode ${m.mode.toString(8)}`);
  });

  it('a rejected source leaves no file in the store and its error quotes nothing of it', async () => {
    const path = join(dir, 'shadow-rejected');
    await writeFile(path, secret(5) + good(1) + '\n');
    const storeDir = join(dir, 'store-rejected');
    await assert.rejects(registerSource({ path, storeDir }), (err: unknown) => {
      assert.ok(err instanceof MalformedSourceRateError);
      assert.doesNotMatch(err.message, /SECRET|user\d/);
      return true;
    });
    assert.deepEqual(await readdir(storeDir, { recursive: true }), []);
  });

  it('refuses what is not a regular file', async () => {
    await assert.rejects(registerSource({ path: dir, storeDir: join(dir, 'store-dir') }), UnsupportedSourceError);
  });
});

describe('registerSource: duplicate keys', { timeout: 30_000 }, () => {
  it('quarantines a record with a key given twice, at any depth and however it is spelled', async () => {
    const path = join(dir, 'dups.jsonl');
    const lines = [
      good(1),
      '{"id":"r2","id":"r2b","tags":{"kind":"trait","trait":"honesty","domain":"law"}}',
      '{"id":"r3","tags":{"kind":"trait","trait":"honesty","domain":"law","domain":"healthcare"}}',
      '{"id":"r4","x":{"a":1,"b":{"a":2},"a":3},"tags":{"kind":"trait","trait":null,"domain":"law"}}',
      '{"\\u0069d":"r5","id":"r5b","tags":{"kind":"trait","trait":null,"domain":"law"}}',
      // Same key in sibling objects and in an object and its child: not duplicates.
      '{"id":"r6","a":{"k":1},"b":{"k":2},"k":{"k":3},"tags":{"kind":"trait","trait":null,"domain":"law"}}',
      // Keys that normalise alike (case) are distinct keys.
      '{"id":"r7","Key":1,"key":2,"tags":{"kind":"trait","trait":null,"domain":"law"}}',
    ];
    await writeFile(path, lines.join('\n') + '\n');
    const reg = await registerSource({ path, storeDir: join(dir, 'store-dups'), maxMalformedRate: 1 });
    assert.deepEqual(reg.malformed.sample, [
      { line: 2, reason: "duplicate key 'id'" },
      { line: 3, reason: "duplicate key 'domain'" },
      { line: 4, reason: "duplicate key 'a'" },
      { line: 5, reason: "duplicate key 'id'" },
    ]);
    assert.equal(reg.records, 3);
  });
});

describe('registerSource: tag values and the record format', { timeout: 30_000 }, () => {
  it('fails on a tag value outside the vocabulary with its line and a suggestion, leaving nothing', async () => {
    const path = join(dir, 'typo.jsonl');
    await writeFile(path, [good(1), good(2, { kind: 'trait', trait: 'honesty', domain: 'health' }), good(3)].join('\n') + '\n');
    const storeDir = join(dir, 'store-typo');
    await assert.rejects(registerSource({ path, storeDir }), (err: unknown) => {
      assert.ok(err instanceof UnknownTagValueError);
      assert.equal(err.line, 2);
      assert.equal(err.field, 'tags.domain');
      assert.equal(err.suggestion, 'healthcare');
      assert.match(err.message, /line 2: 'tags\.domain' is 'health'.*did you mean 'healthcare'\?/);
      return true;
    });
    assert.deepEqual((await readdir(storeDir)).filter((f) => f !== 'paths'), []);
    // Declared values are allowed; so is the same file once registered, under the declaration.
    const reg = await registerSource({ path, storeDir, tagValues: { domain: ['health'] } });
    assert.equal(reg.records, 3);
    await assert.rejects(registerSource({ path, storeDir }), UnknownTagValueError);
  });

  it('registers a plain record with no kind, counting it under none', async () => {
    const path = join(dir, 'plain.jsonl');
    const plain = (i: number): string => JSON.stringify({ id: `p${i}`, text: `hello ${i}`, tags: { trait: i % 2 ? 'honesty' : null, domain: 'science' } });
    await writeFile(path, [plain(1), plain(2), plain(3)].join('\n') + '\n');
    const reg = await registerSource({ path, storeDir: join(dir, 'store-plain') });
    assert.equal(reg.records, 3);
    assert.equal(reg.malformed.count, 0);
    assert.deepEqual(reg.tagCounts.kind, { none: 3 });
  });
});

describe('registerSource: cancel', { timeout: 60_000 }, () => {
  it('aborts a scan of a huge file with no line breaks and leaves no scan thread working', async () => {
    // 4 GiB of zeros (sparse), with one line break in the middle so that both scan threads start.
    const path = join(dir, 'sparse.jsonl');
    const fh = await open(path, 'w');
    await fh.truncate(4 * 1024 ** 3);
    await fh.write(Buffer.from('\n'), 0, 1, 2 * 1024 ** 3);
    await fh.close();
    const storeDir = join(dir, 'store-sparse');
    const controller = new AbortController();
    const phases: string[] = [];
    await assert.rejects(
      registerSource({
        path,
        storeDir,
        threads: 2,
        signal: controller.signal,
        onProgress: (p) => {
          phases.push(p.phase);
          if (p.phase === 'scan') controller.abort();
        },
      }),
      SourceRegistrationAbortedError,
    );
    assert.ok(phases.includes('scan'), `the abort came from a scan progress event (saw: ${[...new Set(phases)].join(', ')})`);
    await releaseIdleScanWorkers();
    assert.equal(scanWorkerThreads().live, 0, 'a scan worker thread outlived the aborted registration');
    assert.deepEqual(await readdir(storeDir), []);
  });
});
