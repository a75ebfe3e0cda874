// `npm run bench:report`: the report's paired percentile bootstrap, Ballast against numpy, one thread
// each. Synthetic data, seeded: per benchmark, a latent difficulty per item shared by every arm (so
// items are paired), an effect per arm on the logit scale (none for arm 0, the baseline), and scores
// that are Bernoulli (two benchmarks in three) or graded in [0, 1] (the third). For every benchmark,
// each of arms 1..9 against arm 0: 53 × 9 = 477 bootstraps of 10,000 resamples over 1,000 items.
//   ballast — pairedPercentileBootstrap in this process (single-threaded JavaScript), timed with
//             performance.now after one untimed warm-up comparison;
//   numpy   — packages/reporting/bench/bootstrap_numpy.py on the same bytes (float64 little-endian
//             plus a JSON meta file in a temporary directory), run by the ML venv's interpreter with
//             OMP/OpenBLAS/MKL held to one thread, timing only its compute after its own warm-up.
// 3 rounds, the order alternating (ballast first in rounds 1 and 3, numpy first in round 2) so that
// machine noise falls on both; the figures are the medians. The two sides use different generators,
// so their intervals differ by Monte Carlo error only; the largest endpoint difference is reported.
// Ends with one JSON line: { "ratio_vs_numpy": median numpy s / median ballast s, "max_ci_difference" }.
// BALLAST_BENCH_BENCHMARKS, BALLAST_BENCH_ARMS, BALLAST_BENCH_ITEMS, BALLAST_BENCH_RESAMPLES and
// BALLAST_BENCH_ROUNDS change the sizes (defaults 53, 10, 1000, 10000, 3).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadConfig, pythonFor } from '@ballast/config';
import { CONFIDENCE, pairedPercentileBootstrap, Rng } from '../index.js';

const NUMPY_SCRIPT = fileURLToPath(new URL('../../bench/bootstrap_numpy.py', import.meta.url));
const DATA_SEED = 20260;
/** Ballast seeds comparison c with BOOTSTRAP_SEED + c; numpy seeds one generator with it. */
const BOOTSTRAP_SEED = 9001;
const ONE_THREAD = { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

interface Sizes {
  readonly benchmarks: number;
  readonly arms: number;
  readonly items: number;
  readonly resamples: number;
  readonly rounds: number;
}

/** Intervals of every comparison, in benchmark-major, arm-minor order. */
interface Intervals {
  readonly low: ArrayLike<number>;
  readonly high: ArrayLike<number>;
}

interface NumpyRound extends Intervals {
  readonly seconds: number;
  readonly numpy: string;
}

function sizeFromEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min}, got '${raw}'`);
  return value;
}

function sizesFromEnv(): Sizes {
  return {
    benchmarks: sizeFromEnv('BALLAST_BENCH_BENCHMARKS', 53, 1),
    arms: sizeFromEnv('BALLAST_BENCH_ARMS', 10, 2),
    items: sizeFromEnv('BALLAST_BENCH_ITEMS', 1000, 2),
    resamples: sizeFromEnv('BALLAST_BENCH_RESAMPLES', 10_000, 2),
    rounds: sizeFromEnv('BALLAST_BENCH_ROUNDS', 3, 1),
  };
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Scores laid out [benchmark][arm][item]. */
function syntheticScores({ benchmarks, arms, items }: Sizes): Float64Array {
  const rng = new Rng(DATA_SEED);
  const scores = new Float64Array(benchmarks * arms * items);
  const difficulty = new Float64Array(items);
  for (let b = 0; b < benchmarks; b++) {
    const graded = b % 3 === 2;
    const level = 0.8 * rng.normal();
    for (let i = 0; i < items; i++) difficulty[i] = 1.5 * rng.normal();
    for (let a = 0; a < arms; a++) {
      const effect = a === 0 ? 0 : 0.3 * rng.normal();
      const row = (b * arms + a) * items;
      for (let i = 0; i < items; i++) {
        const p = sigmoid(level + (difficulty[i] as number) + effect);
        scores[row + i] = graded ? Math.min(1, Math.max(0, p + 0.15 * rng.normal())) : rng.uniform() < p ? 1 : 0;
      }
    }
  }
  return scores;
}

function differences(scores: Float64Array, sizes: Sizes, benchmark: number, arm: number): Float64Array {
  const base = benchmark * sizes.arms * sizes.items;
  const treated = base + arm * sizes.items;
  const d = new Float64Array(sizes.items);
  for (let i = 0; i < sizes.items; i++) d[i] = (scores[treated + i] as number) - (scores[base + i] as number);
  return d;
}

function ballastRound(scores: Float64Array, sizes: Sizes): Intervals & { seconds: number } {
  const comparisons = sizes.benchmarks * (sizes.arms - 1);
  const low = new Float64Array(comparisons);
  const high = new Float64Array(comparisons);
  const started = performance.now();
  for (let b = 0, c = 0; b < sizes.benchmarks; b++) {
    for (let a = 1; a < sizes.arms; a++, c++) {
      const interval = pairedPercentileBootstrap(differences(scores, sizes, b, a), { resamples: sizes.resamples, seed: BOOTSTRAP_SEED + c });
      low[c] = interval.ciLow;
      high[c] = interval.ciHigh;
    }
  }
  return { seconds: (performance.now() - started) / 1000, low, high };
}

async function writeData(dir: string, scores: Float64Array, sizes: Sizes): Promise<{ data: string; meta: string }> {
  const bytes = Buffer.alloc(scores.length * 8);
  for (let i = 0; i < scores.length; i++) bytes.writeDoubleLE(scores[i] as number, i * 8);
  const data = join(dir, 'scores.f64');
  const meta = join(dir, 'meta.json');
  await writeFile(data, bytes);
  const { benchmarks, arms, items, resamples } = sizes;
  await writeFile(meta, JSON.stringify({ benchmarks, arms, items, resamples, confidence: CONFIDENCE, seed: BOOTSTRAP_SEED, layout: 'float64 little-endian [benchmark][arm][item]' }));
  return { data, meta };
}

function numpyRound(python: string, data: string, meta: string): Promise<NumpyRound> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [NUMPY_SCRIPT, data, meta], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...ONE_THREAD } });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (out += chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`the numpy side (${python} ${NUMPY_SCRIPT}) exited ${code}`));
      const parsed = JSON.parse(out.trim().split('\n').at(-1) ?? '') as { seconds: number; numpy: string; ci_low: number[]; ci_high: number[] };
      resolve({ seconds: parsed.seconds, numpy: parsed.numpy, low: parsed.ci_low, high: parsed.ci_high });
    });
  });
}

function maxDifference(a: Intervals, b: Intervals): number {
  if (a.low.length !== b.low.length || a.high.length !== b.high.length) throw new Error(`the sides returned ${a.low.length} and ${b.low.length} intervals`);
  let max = 0;
  for (let c = 0; c < a.low.length; c++) {
    max = Math.max(max, Math.abs((a.low[c] as number) - (b.low[c] as number)), Math.abs((a.high[c] as number) - (b.high[c] as number)));
  }
  return max;
}

function median(values: number[]): number {
  const s = [...values].sort((x, y) => x - y);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** The ML venv's interpreter; a clear message instead of a spawn error when `npm run setup:ml` has not run. */
function mlPython(): string {
  const python = pythonFor(loadConfig(), 'default', 'local');
  if (python === null || !existsSync(python)) {
    throw new Error(`no ML environment${python ? ` at ${python}` : ''}: run \`npm run setup:ml\` first (the numpy side runs in it)`);
  }
  return python;
}

async function main(): Promise<void> {
  const sizes = sizesFromEnv();
  const python = mlPython();
  const comparisons = sizes.benchmarks * (sizes.arms - 1);
  const scores = syntheticScores(sizes);
  const dir = await mkdtemp(join(tmpdir(), 'ballast-bench-report-'));
  try {
    const { data, meta } = await writeData(dir, scores, sizes);
    process.stdout.write(
      `${sizes.benchmarks} benchmarks × ${sizes.arms} arms × ${sizes.items} items: ${comparisons} paired percentile bootstraps ` +
        `of ${sizes.resamples} resamples (${CONFIDENCE * 100}%), one thread each side\n`,
    );
    pairedPercentileBootstrap(differences(scores, sizes, 0, 1), { resamples: sizes.resamples, seed: BOOTSTRAP_SEED - 1 });

    const ballastSeconds: number[] = [];
    const numpySeconds: number[] = [];
    let ballast: Intervals | undefined;
    let numpy: NumpyRound | undefined;
    for (let r = 0; r < sizes.rounds; r++) {
      const runBallast = () => {
        const result = ballastRound(scores, sizes);
        ballastSeconds.push(result.seconds);
        ballast = result;
      };
      const runNumpy = async () => {
        numpy = await numpyRound(python, data, meta);
        numpySeconds.push(numpy.seconds);
      };
      if (r % 2 === 0) {
        runBallast();
        await runNumpy();
      } else {
        await runNumpy();
        runBallast();
      }
      process.stdout.write(`round ${r + 1}: ballast ${ballastSeconds[r]!.toFixed(2)} s, numpy ${numpySeconds[r]!.toFixed(2)} s\n`);
    }

    const mb = median(ballastSeconds);
    const mn = median(numpySeconds);
    const maxCi = maxDifference(ballast!, numpy!);
    process.stdout.write(
      `medians over ${sizes.rounds} interleaved rounds: ballast ${mb.toFixed(2)} s (node ${process.versions.node}), ` +
        `numpy ${mn.toFixed(2)} s (numpy ${numpy!.numpy}); numpy / ballast = ${(mn / mb).toFixed(3)}\n` +
        `largest difference between the two sides' interval endpoints: ${maxCi.toFixed(5)} (Monte Carlo error; target ≤ 0.005)\n`,
    );
    process.stdout.write(`${JSON.stringify({ ratio_vs_numpy: Number((mn / mb).toFixed(3)), max_ci_difference: Number(maxCi.toFixed(5)) })}\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (error) {
  process.stderr.write(`bench:report: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
