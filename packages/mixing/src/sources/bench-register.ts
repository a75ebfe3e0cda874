/**
 * Benchmark program (not a test): cold registration of a synthetic tagged JSONL file against a naive
 * readline + JSON.parse loop over the same file, both measured in this run.
 *
 *   node dist/sources/bench-register.js [megabytes=300] [threads=2]
 */
import { createReadStream, existsSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { registerSource } from './register.js';

const megabytes = Number(process.argv[2] ?? 300);
const threads = Number(process.argv[3] ?? 2);
const file = join(tmpdir(), `ballast-bench-${megabytes}mb.jsonl`);
const store = join(tmpdir(), 'ballast-bench-store');

const TRAITS = ['honesty', 'corrigibility', 'fairness', 'wellbeing'];
const DOMAINS = ['law', 'health', 'science', 'finance', 'education'];
const WORDS = 'the quick brown fox jumps over a lazy dog while Alice asks Bob about the weather in Paris today'.split(' ');

function generate(): void {
  writeFileSync(file, '');
  let bytes = 0;
  let i = 0;
  let seed = 1;
  const rand = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  const text = (n: number): string => Array.from({ length: n }, () => WORDS[rand(WORDS.length)]).join(' ');
  while (bytes < megabytes * 1e6) {
    const lines: string[] = [];
    for (let k = 0; k < 10000; k++, i++) {
      const trait = rand(3) === 0 ? null : TRAITS[rand(TRAITS.length)];
      lines.push(
        JSON.stringify({
          id: `r${i}`,
          messages: [
            { role: 'user', content: text(20 + rand(40)) },
            { role: 'assistant', content: text(30 + rand(60)) },
          ],
          tags: { kind: trait === null ? 'regular' : 'trait', trait, domain: DOMAINS[rand(DOMAINS.length)], pressure: rand(10) / 10, template: `t${rand(5)}` },
        }),
      );
    }
    const chunk = lines.join('\n') + '\n';
    appendFileSync(file, chunk);
    bytes += Buffer.byteLength(chunk);
  }
}

async function naive(): Promise<number> {
  let n = 0;
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of rl) {
    if (line === '') continue;
    const rec = JSON.parse(line) as { tags: { domain: string } };
    if (rec.tags.domain !== 'health') n += JSON.stringify(rec).length > 0 ? 1 : 0;
  }
  return n;
}

async function main(): Promise<void> {
  if (!existsSync(file)) generate();
  const size = statSync(file).size;
  const mb = size / 1e6;
  await rm(store, { recursive: true, force: true });

  let t = performance.now();
  await naive();
  const naiveS = (performance.now() - t) / 1000;

  t = performance.now();
  // The synthetic corpus uses two domains outside the built-in vocabulary: declared, as a dataset would.
  const tagValues = { domain: ['health', 'finance'] };
  const reg = await registerSource({ path: file, storeDir: store, threads, tagValues });
  const coldS = (performance.now() - t) / 1000;

  t = performance.now();
  await registerSource({ path: file, storeDir: store, threads, tagValues });
  const warmMs = performance.now() - t;

  console.log(`file ${file}: ${mb.toFixed(0)} MB, ${reg.records} records`);
  console.log(`naive readline+JSON.parse+JSON.stringify: ${naiveS.toFixed(2)} s (${(mb / naiveS).toFixed(0)} MB/s)`);
  console.log(`registerSource cold, ${threads} thread(s): ${coldS.toFixed(2)} s (${(mb / coldS).toFixed(0)} MB/s)`);
  console.log(`registerSource warm: ${warmMs.toFixed(1)} ms`);
  console.log(JSON.stringify({ mb, naive_mb_s: mb / naiveS, cold_mb_s: mb / coldS, ratio_vs_naive: naiveS / coldS, warm_ms: warmMs }));
  await rm(store, { recursive: true, force: true });
}

await main();
