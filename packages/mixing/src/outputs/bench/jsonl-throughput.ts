/**
 * Benchmark program (not a test): write throughput of the canonical JSONL output writer against the
 * plain I/O limit measured in the same run (the same bytes written in 16 MiB chunks with writeSync,
 * no per-record work). Prints both and their ratio, then one JSON line.
 *
 *   node dist/outputs/bench/jsonl-throughput.js [megabytes=500] [dir=os.tmpdir()]
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createOutputWriter } from '../create-output-writer.js';

const megabytes = Number(process.argv[2] ?? 500);
const root = await mkdtemp(join(process.argv[3] ?? tmpdir(), 'ballast-jsonl-bench-'));
const target = megabytes * 1024 * 1024;

// A pool of distinct records of realistic sizes (about 150 B to 3 kB), cycled until the target size.
const pool = Array.from({ length: 4096 }, (_, i) =>
  Buffer.from(
    JSON.stringify({
      id: `rec-${i}`,
      messages: [
        { role: 'user', content: `question ${i} `.repeat(1 + (i % 97)) },
        { role: 'assistant', content: `answer ${i}` },
      ],
      tags: { kind: i % 2 ? 'trait' : 'regular', trait: i % 2 ? 'honesty' : null, domain: 'science', pressure: 0.5, template: 't' },
    }),
  ),
);

function* records(): Generator<Buffer> {
  let bytes = 0;
  for (let i = 0; bytes < target; i++) {
    const r = pool[i % pool.length] as Buffer;
    bytes += r.length + 1;
    yield r;
  }
}

async function timeWriter(): Promise<{ seconds: number; loopSeconds: number; bytes: number; records: number; shards: number }> {
  const writer = createOutputWriter({ format: 'jsonl', stagingDir: join(root, 'writer'), shardBytes: 256 << 20, dataSource: 'bench' });
  const t0 = performance.now();
  for (const r of records()) await writer.write(r);
  const loopSeconds = (performance.now() - t0) / 1000;
  const result = await writer.finish();
  const seconds = (performance.now() - t0) / 1000;
  const bytes = result.shards.reduce((n, s) => n + s.bytes, 0);
  return { seconds, loopSeconds, bytes, records: result.records, shards: result.shards.length };
}

function timeRawWrites(): { seconds: number; bytes: number } {
  const chunk = Buffer.allocUnsafe(16 << 20);
  const t0 = performance.now();
  const fd = openSync(join(root, 'raw.jsonl'), 'wx');
  let used = 0;
  let bytes = 0;
  for (const r of records()) {
    if (used + r.length + 1 > chunk.length) {
      writeSync(fd, chunk, 0, used);
      bytes += used;
      used = 0;
    }
    r.copy(chunk, used);
    chunk[used + r.length] = 0x0a;
    used += r.length + 1;
  }
  writeSync(fd, chunk, 0, used);
  bytes += used;
  fsyncSync(fd);
  closeSync(fd);
  return { seconds: (performance.now() - t0) / 1000, bytes };
}

try {
  const raw = timeRawWrites();
  await rm(join(root, 'raw.jsonl'));
  const ours = await timeWriter();
  const mbps = (bytes: number, s: number): number => bytes / 1e6 / s;
  console.log(`raw 16 MiB writeSync + fsync: ${(raw.bytes / 1e6).toFixed(0)} MB in ${raw.seconds.toFixed(2)} s = ${mbps(raw.bytes, raw.seconds).toFixed(0)} MB/s`);
  console.log(
    `jsonl writer (sha256, ${ours.shards} shards, fsync): ${(ours.bytes / 1e6).toFixed(0)} MB, ${ours.records} records in ${ours.seconds.toFixed(2)} s = ${mbps(ours.bytes, ours.seconds).toFixed(0)} MB/s`,
  );
  console.log(`  of which the write loop (before the final flush and fsync): ${ours.loopSeconds.toFixed(2)} s = ${mbps(ours.bytes, ours.loopSeconds).toFixed(0)} MB/s`);
  console.log(
    JSON.stringify({
      jsonl_writer_mb_per_s: Math.round(mbps(ours.bytes, ours.seconds)),
      jsonl_writer_loop_mb_per_s: Math.round(mbps(ours.bytes, ours.loopSeconds)),
      raw_write_mb_per_s: Math.round(mbps(raw.bytes, raw.seconds)),
      fraction_of_raw: Number((raw.seconds / ours.seconds).toFixed(3)),
    }),
  );
} finally {
  await rm(root, { recursive: true, force: true });
}
