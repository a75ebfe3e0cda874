// Synthetic tagged corpus for the mixing benchmark: deterministic from a seed, written in large
// buffers so that 5 GB takes seconds rather than minutes. Each size is two sources, generated in
// parallel child processes (one per source), and a marker file that carries the counts the bench
// needs to size the task without rescanning.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const GENERATOR_VERSION = 1;
export const MARKER_FILE = 'corpus.json';
export const TRAITS = ['honesty', 'epistemic_humility', 'transparency', 'corrigibility', 'fairness', 'wellbeing'];
export const TRAIT_DOMAINS = ['healthcare', 'education', 'science', 'law', 'engineering', 'economics', 'business'];
const REGULAR_DOMAINS = ['math', 'coding', 'science', 'writing', 'reasoning', 'general'];
const PRESSURES = ['none', 'low', 'medium', 'high'];
const TEMPLATES = Array.from({ length: 32 }, (_, i) => `t${String(i).padStart(2, '0')}`);
/** Share of a size's bytes that goes to the trait source; the rest is regular. */
const TRAIT_BYTE_SHARE = 0.1;

/** mulberry32: small, fast and good enough to make text look varied. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A pool of JSON-escaped words with word-start offsets. Message contents are slices of it on word
 * boundaries, so escapes (\" \n \u00e9) are never cut and no content needs escaping at write time.
 */
function wordPool(rand) {
  const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'shi', 'vo', 'en', 'or', 'ith', 'ple', 'qua', 'st', 'ber', 'dan'];
  const vocab = [];
  for (let i = 0; i < 4000; i += 1) {
    let w = '';
    const n = 1 + Math.floor(rand() * 4);
    for (let j = 0; j < n; j += 1) w += syllables[Math.floor(rand() * syllables.length)];
    vocab.push(w);
  }
  vocab.push('\\"quoted\\"', '\\n', 'caf\u00e9', 'na\u00efve', '\u2192', '\\u00e9t\\u00e9', 'x\\\\y', '\u6570\u636e');
  const words = [];
  let length = 0;
  const starts = [];
  while (length < 4_000_000) {
    const w = vocab[Math.floor(rand() * vocab.length)];
    starts.push(length);
    const token = rand() < 0.08 ? `${w}.` : rand() < 0.05 ? `${w},` : w;
    words.push(token);
    length += token.length + 1;
  }
  starts.push(length);
  return { text: `${words.join(' ')} `, starts: Int32Array.from(starts) };
}

/** Writes one source of roughly `targetBytes` and returns its tag counts. */
function generateSource({ path, kind, targetBytes, seed }) {
  const rand = prng(seed);
  const pool = wordPool(prng(seed ^ 0x5eed));
  const wordCount = pool.starts.length - 1;
  const content = () => {
    const n = 6 + Math.floor(rand() * 50);
    const i = Math.floor(rand() * (wordCount - n));
    return pool.text.slice(pool.starts[i], pool.starts[i + n] - 1);
  };
  const counts = {};
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  let written = 0;
  let records = 0;
  let chunk = '';
  const prefix = kind === 'regular' ? 'reg' : 'trt';
  try {
    while (written + Buffer.byteLength(chunk) < targetBytes) {
      for (let k = 0; k < 2000; k += 1) {
        const turns = 2 + Math.floor(rand() * 7);
        let messages = rand() < 0.3 ? `{"role":"system","content":"${content()}"}` : '';
        for (let t = 0; t < turns; t += 1) {
          if (messages !== '') messages += ',';
          messages += `{"role":"${t % 2 === 0 ? 'user' : 'assistant'}","content":"${content()}"}`;
        }
        const trait = kind === 'trait' ? TRAITS[Math.floor(rand() * TRAITS.length)] : null;
        const domain = kind === 'trait'
          ? TRAIT_DOMAINS[Math.floor(rand() * TRAIT_DOMAINS.length)]
          : REGULAR_DOMAINS[Math.floor(rand() * REGULAR_DOMAINS.length)];
        const pressure = PRESSURES[Math.floor(rand() * PRESSURES.length)];
        const template = TEMPLATES[Math.floor(rand() * TEMPLATES.length)];
        const id = `${prefix}-${String(records).padStart(9, '0')}`;
        chunk += `{"id":"${id}","messages":[${messages}],"tags":{"kind":"${kind}","trait":${trait === null ? 'null' : `"${trait}"`},"domain":"${domain}","pressure":"${pressure}","template":"${template}"}}\n`;
        const key = `${trait ?? '-'}|${domain}`;
        counts[key] = (counts[key] ?? 0) + 1;
        records += 1;
      }
      if (chunk.length >= 8_000_000) {
        written += writeSync(fd, chunk);
        chunk = '';
      }
    }
    if (chunk !== '') written += writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return { path, kind, bytes: written, records, countsByTraitDomain: counts };
}

/** Counts the records of a source that match a ComponentFilter-shaped filter, from the marker's table. */
export function countEligible(source, filter) {
  const ok = (f, v) => f === undefined || ((f.in === undefined || f.in.includes(v)) && (f.notIn === undefined || !f.notIn.includes(v)));
  let n = 0;
  for (const [key, count] of Object.entries(source.countsByTraitDomain)) {
    const [t, domain] = key.split('|');
    const trait = t === '-' ? null : t;
    if (ok(filter.kind, source.kind) && ok(filter.trait, trait) && ok(filter.domain, domain)) n += count;
  }
  return n;
}

/**
 * Returns the corpus of `sizeGb` under `dir`, generating it unless a marker from the same generator
 * version and seed is there.
 */
export async function ensureCorpus({ dir, sizeGb, seed, log }) {
  const corpusDir = join(dir, `corpus-${sizeGb}gb`);
  const marker = join(corpusDir, MARKER_FILE);
  if (existsSync(marker)) {
    const meta = JSON.parse(readFileSync(marker, 'utf8'));
    if (meta.version === GENERATOR_VERSION && meta.seed === seed) {
      log(`corpus ${sizeGb} GB: reusing ${corpusDir} (marker ${MARKER_FILE})`);
      return meta;
    }
  }
  rmSync(corpusDir, { recursive: true, force: true });
  mkdirSync(corpusDir, { recursive: true });
  const total = sizeGb * 1e9;
  const jobs = [
    { path: join(corpusDir, 'regular.jsonl'), kind: 'regular', targetBytes: Math.round(total * (1 - TRAIT_BYTE_SHARE)), seed: seed * 2 + 1 },
    { path: join(corpusDir, 'traits.jsonl'), kind: 'trait', targetBytes: Math.round(total * TRAIT_BYTE_SHARE), seed: seed * 2 + 2 },
  ];
  log(`corpus ${sizeGb} GB: generating in ${corpusDir} (seed ${seed}, two sources in parallel)...`);
  const started = performance.now();
  const results = await Promise.all(jobs.map((job) => runGeneratorChild(job)));
  const meta = {
    version: GENERATOR_VERSION,
    seed,
    sizeGb,
    sources: { regular: results[0], traits: results[1] },
  };
  writeFileSync(marker, `${JSON.stringify(meta, null, 2)}\n`);
  const bytes = results.reduce((s, r) => s + r.bytes, 0);
  log(`corpus ${sizeGb} GB: ${(bytes / 1e9).toFixed(2)} GB, ${results.map((r) => `${r.records} ${r.kind}`).join(' + ')} records in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return meta;
}

function runGeneratorChild(job) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`corpus generator for ${job.path} exited ${code}`))));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(JSON.stringify(generateSource(JSON.parse(process.argv[2]))));
}
