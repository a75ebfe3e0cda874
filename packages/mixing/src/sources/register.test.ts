import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { parquetWriteBuffer } from 'hyparquet-writer';
import {
  EXCERPT_BYTES,
  forEachIndexChunk,
  releaseIdleScanWorkers,
  scanWorkerThreads,
  MalformedSourceRateError,
  openSourceIndex,
  registerSource,
  SourceErrorCode,
  SourceRegistrationAbortedError,
  type SourceIndex,
  type SourceRegistration,
} from './index.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ballast-sources-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const TRAITS = [null, 'honesty', 'fairness'];
const DOMAINS = ['law', 'healthcare', 'science'];
function record(i: number, content = `question ${i} — “quoted” ü`): Record<string, unknown> {
  return {
    id: `r${i}`,
    messages: [
      { role: 'user', content },
      { role: 'assistant', content: `answer ${i}` },
    ],
    tags: { kind: i % 3 === 0 ? 'regular' : 'trait', trait: TRAITS[i % 3], domain: DOMAINS[i % 2 === 0 ? 0 : (i % 3) % 3] ?? 'law', pressure: 0.5, template: 't1' },
  };
}
const jsonl = (n: number): string => Array.from({ length: n }, (_, i) => JSON.stringify(record(i))).join('\n') + '\n';

function rows(index: SourceIndex): { offset: number; length: number; kind: number; trait: number; domain: number; hash: string }[] {
  return Array.from({ length: index.records }, (_, i) => ({
    offset: index.offset(i),
    length: index.length(i),
    kind: index.kind(i),
    trait: index.trait(i),
    domain: index.domain(i),
    hash: `${index.hashHi(i)}:${index.hashLo(i)}`,
  }));
}

async function recordTexts(reg: SourceRegistration): Promise<string[]> {
  const data = await readFile(reg.dataPath);
  const index = await openSourceIndex(reg);
  return Array.from({ length: index.records }, (_, i) => data.toString('utf8', index.offset(i), index.offset(i) + index.length(i)));
}

describe('registerSource: malformed-input corpus', { timeout: 60_000 }, () => {
  it('indexes good lines and reports every bad one with its exact line number', async () => {
    const big = 'x'.repeat(20 * 1024 * 1024);
    const parts: Buffer[] = [
      Buffer.from('\ufeff' + JSON.stringify(record(1)) + '\r\n'), // 1: BOM + CRLF
      Buffer.from('\n'), // 2: blank
      Buffer.from('   \t \r\n'), // 3: whitespace only
      Buffer.concat([Buffer.from('{"id":"bad-utf8","tags":{"kind":"k","trait":null,"domain":"d"},"t":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]), // 4
      Buffer.from('[1,2,3]\n'), // 5: not an object
      Buffer.from('{"messages":[],"tags":{"kind":"k","trait":null,"domain":"d"}}\n'), // 6: no id
      Buffer.from('{"id":"x", broken\n'), // 7: not JSON
      Buffer.from(JSON.stringify(record(2, big)) + '\n'), // 8: a 20 MB line
      Buffer.from('{"id":"t","tags":{"kind":"k","trait":5,"domain":"d"}}\n'), // 9: trait not string/null
      Buffer.from(JSON.stringify(record(3)) + '\r\n'), // 10
      Buffer.from(JSON.stringify(record(4))), // 11: no final newline
    ];
    const path = join(dir, 'corpus.jsonl');
    await writeFile(path, Buffer.concat(parts));
    const reg = await registerSource({ path, storeDir: join(dir, 'store-corpus'), maxMalformedRate: 1 });

    assert.equal(reg.records, 4);
    assert.deepEqual(
      reg.malformed.sample.map((s) => s.line),
      [4, 5, 6, 7, 9],
    );
    assert.match(reg.malformed.sample[0]!.reason, /UTF-8/);
    assert.match(reg.malformed.sample[1]!.reason, /not a JSON object/);
    assert.match(reg.malformed.sample[2]!.reason, /'id'/);
    assert.match(reg.malformed.sample[3]!.reason, /not JSON/);
    assert.match(reg.malformed.sample[4]!.reason, /tags\.trait/);
    assert.equal(reg.malformed.count, 5);
    assert.equal(reg.malformed.rate, 5 / 9);

    const texts = await recordTexts(reg);
    assert.deepEqual(
      texts.map((t) => (JSON.parse(t) as { id: string }).id),
      ['r1', 'r2', 'r3', 'r4'],
    );
    assert.equal(texts[1]!.length, JSON.stringify(record(2, big)).length);
    assert.ok(!texts[0]!.startsWith('\ufeff') && !texts[2]!.endsWith('\r'));

    assert.ok(reg.quarantinePath !== null);
    const quarantine = (await readFile(reg.quarantinePath, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; reason: string; text: string });
    assert.deepEqual(
      quarantine.map((q) => q.line),
      [4, 5, 6, 7, 9],
    );
    assert.ok(quarantine[0]!.text.includes('\ufffd'));
    assert.ok(quarantine.every((q) => Buffer.byteLength(q.text) <= EXCERPT_BYTES));
  });

  it('rejects a source above maxMalformedRate with a typed error and leaves no registration', async () => {
    const path = join(dir, 'rate.jsonl');
    await writeFile(path, jsonl(8) + 'oops\n' + jsonl(1));
    const storeDir = join(dir, 'store-rate');
    await assert.rejects(registerSource({ path, storeDir }), (err: unknown) => {
      assert.ok(err instanceof MalformedSourceRateError);
      assert.equal(err.code, SourceErrorCode.malformedRate);
      assert.deepEqual(
        err.sample.map((s) => s.line),
        [9],
      );
      assert.equal(err.rate, 0.1);
      return true;
    });
    assert.deepEqual(
      (await readdir(storeDir)).filter((f) => !f.startsWith('paths')),
      [],
    );
    const ok = await registerSource({ path, storeDir, maxMalformedRate: 0.2 });
    assert.equal(ok.records, 9);
  });
});

describe('registerSource: formats', { timeout: 60_000 }, () => {
  it('gzip, zstd and Parquet sources index like the plain JSONL', async () => {
    const text = jsonl(500);
    const plain = join(dir, 'fmt.jsonl');
    await writeFile(plain, text);
    await writeFile(join(dir, 'fmt.jsonl.gz'), gzipSync(text));
    execFileSync('zstd', ['-q', '-f', plain, '-o', join(dir, 'fmt.jsonl.zst')]);
    const storeDir = join(dir, 'store-fmt');
    const base = await registerSource({ path: plain, storeDir });
    const baseRows = rows(await openSourceIndex(base));
    for (const file of ['fmt.jsonl.gz', 'fmt.jsonl.zst']) {
      const reg = await registerSource({ path: join(dir, file), storeDir });
      assert.equal(reg.format, file.endsWith('gz') ? 'jsonl.gz' : 'jsonl.zst');
      assert.notEqual(reg.sha256, base.sha256);
      assert.notEqual(reg.dataPath, join(dir, file));
      assert.equal(await readFile(reg.dataPath, 'utf8'), text);
      assert.deepEqual(rows(await openSourceIndex(reg)), baseRows);
      assert.deepEqual(reg.tagCounts, base.tagCounts);
      assert.deepEqual(reg.dictionaries, base.dictionaries);
    }

    const records = Array.from({ length: 500 }, (_, i) => record(i));
    const pq = parquetWriteBuffer({
      columnData: [
        { name: 'id', data: records.map((r) => r.id as string) },
        { name: 'messages', data: records.map((r) => r.messages) },
        { name: 'tags', data: records.map((r) => r.tags) },
      ],
    });
    const pqPath = join(dir, 'fmt.parquet');
    await writeFile(pqPath, Buffer.from(pq));
    const reg = await registerSource({ path: pqPath, storeDir });
    assert.equal(reg.format, 'parquet');
    assert.equal(reg.records, 500);
    assert.deepEqual(
      rows(await openSourceIndex(reg)).map((r) => r.hash),
      baseRows.map((r) => r.hash),
    );
    assert.deepEqual(reg.tagCounts, base.tagCounts);
    assert.deepEqual(
      (await recordTexts(reg)).map((t) => JSON.parse(t) as unknown),
      records,
    );
  });
});

describe('registerSource: determinism and streaming', { timeout: 60_000 }, () => {
  it('writes byte-identical index and quarantine files for 1, 2 and 3 threads', async () => {
    const lines = jsonl(3000).split('\n');
    lines.splice(1000, 0, 'bad line one');
    lines.splice(2500, 0, '', '{"id":7}');
    const path = join(dir, 'threads.jsonl');
    await writeFile(path, lines.join('\n'));
    const regs = [];
    for (const threads of [1, 2, 3]) {
      regs.push(await registerSource({ path, storeDir: join(dir, `store-t${threads}`), threads, maxMalformedRate: 1 }));
    }
    const indexes = await Promise.all(regs.map((r) => readFile(r.indexPath)));
    const quarantines = await Promise.all(regs.map((r) => readFile(r.quarantinePath ?? '')));
    for (let i = 1; i < regs.length; i++) {
      assert.ok(indexes[i]!.equals(indexes[0]!));
      assert.ok(quarantines[i]!.equals(quarantines[0]!));
      assert.deepEqual(regs[i]!.dictionaries, regs[0]!.dictionaries);
      assert.deepEqual(regs[i]!.malformed, regs[0]!.malformed);
    }
    assert.deepEqual(
      regs[0]!.malformed.sample.map((s) => s.line),
      [1001, 2502],
    );
  });

  it('forEachIndexChunk streams the same rows openSourceIndex holds', async () => {
    const path = join(dir, 'chunks.jsonl');
    await writeFile(path, jsonl(1000));
    const reg = await registerSource({ path, storeDir: join(dir, 'store-chunks') });
    const all = rows(await openSourceIndex(reg));
    const streamed: typeof all = [];
    const firsts: number[] = [];
    await forEachIndexChunk(reg, 300, (chunk, first) => {
      firsts.push(first);
      streamed.push(...rows(chunk));
    });
    assert.deepEqual(firsts, [0, 300, 600, 900]);
    assert.deepEqual(streamed, all);
  });
});

describe('registerSource: cache', { timeout: 60_000 }, () => {
  it('returns an unchanged file from the store without reading it, and re-registers a changed one', async () => {
    const path = join(dir, 'warm.jsonl');
    const storeDir = join(dir, 'store-warm');
    await writeFile(path, jsonl(200));
    // Whole seconds, so that restoring the mtime below restores it exactly.
    await utimes(path, 1_700_000_000, 1_700_000_000);
    const cold = await registerSource({ path, storeDir });

    const warm = await registerSource({ path, storeDir });
    assert.deepEqual(warm, cold);

    // Same size, same mtime, same inode, different bytes: only a registration that never reads the file
    // would still report the old digest.
    await writeFile(path, jsonl(200).replace('r0', 'q0'));
    await utimes(path, 1_700_000_000, 1_700_000_000);
    assert.equal((await registerSource({ path, storeDir })).sha256, cold.sha256);

    await utimes(path, 1_700_000_000, 1_700_000_005);
    const changed = await registerSource({ path, storeDir });
    assert.notEqual(changed.sha256, cold.sha256);
    assert.equal(changed.records, 200);
  });

  it('reuses the registration of identical bytes under another path', async () => {
    const storeDir = join(dir, 'store-copy');
    const a = join(dir, 'copy-a.jsonl');
    const b = join(dir, 'copy-b.jsonl');
    await writeFile(a, jsonl(50));
    await writeFile(b, jsonl(50));
    const ra = await registerSource({ path: a, storeDir });
    const rb = await registerSource({ path: b, storeDir });
    assert.equal(rb.sha256, ra.sha256);
    assert.equal(rb.indexPath, ra.indexPath);
    assert.equal(rb.path, b);
    assert.equal(rb.dataPath, b);
    assert.equal((await readdir(storeDir)).filter((f) => f === ra.sha256).length, 1);
  });
});

describe('registerSource: abort', { timeout: 60_000 }, () => {
  it('stops promptly and leaves no registration behind', async () => {
    const path = join(dir, 'abort.jsonl');
    await writeFile(path, jsonl(200_000));
    const storeDir = join(dir, 'store-abort');
    const controller = new AbortController();
    await assert.rejects(
      registerSource({ path, storeDir, signal: controller.signal, onProgress: () => controller.abort() }),
      (err: unknown) => err instanceof SourceRegistrationAbortedError && err.code === SourceErrorCode.aborted,
    );
    // What "promptly" meant: by the time the promise settles, no scan thread is still working.
    await releaseIdleScanWorkers();
    assert.equal(scanWorkerThreads().live, 0, 'a scan worker thread outlived the aborted registration');
    assert.deepEqual(await readdir(storeDir), []);

    const already = AbortSignal.abort();
    await assert.rejects(registerSource({ path, storeDir, signal: already }), SourceRegistrationAbortedError);
  });
});
