// `npm run bench:mix`: the dataset-mixing benchmark of issue 3. Generates a synthetic tagged corpus
// (1 GB and 5 GB, each a regular and a trait source) and measures, in one run, on the same files and
// the same selection: cat | wc -c (the read limit), a naive Node pipeline, jq, Hugging Face datasets
// (1 GB only, cold and warm) and Ballast (cold: register, then build; warm: a new mix over the
// registered sources). Prints a table and one closing JSON line with the ratios.
//
// usage: npm run bench:mix -- [--sizes 1|1,5] [--skip-hf] [--only TOOLS] [--dir DIR] [--seed N] [--repeat N] [--early-stop]
//   --only takes a comma list of cat, naive, jq, hf, floor, ballast (default: all) for fast iteration.
//   --dir defaults to $BALLAST_BENCH_DIR or /tmp/ballast-bench.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statfsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countEligible, ensureCorpus } from './corpus.mjs';
import { countLines, measure } from './measure.mjs';
import { ensureHfVenv, ensureJq, ensureTime } from './tools.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const MIN_FREE_GB_FOR_5 = 25;
const OUTPUT_SHARE = 0.5;

/** The task every tool performs; `fraction` for HF is its interleave probability. */
const TASK = [
  { name: 'regular', dataset: 'regular', fraction: 0.95, filter: { kind: { in: ['regular'] } } },
  {
    name: 'traits',
    dataset: 'traits',
    fraction: 0.05,
    filter: { kind: { in: ['trait'] }, trait: { in: ['honesty', 'corrigibility'] }, domain: { notIn: ['healthcare'] } },
  },
];
/** Ballast warm: other weights and filters, the same output size. */
const WARM_TASK = [
  { name: 'regular', dataset: 'regular', fraction: 0.97, filter: { kind: { in: ['regular'] } } },
  {
    name: 'traits',
    dataset: 'traits',
    fraction: 0.03,
    filter: { kind: { in: ['trait'] }, trait: { in: ['fairness', 'wellbeing'] }, domain: { notIn: ['science'] } },
  },
];

/** Tool groups that `--only` can pick. */
const TOOLS = ['cat', 'naive', 'jq', 'hf', 'floor', 'ballast'];

function parseArgs(argv) {
  const opts = { sizes: [1, 5], skipHf: false, only: null, earlyStop: false, dir: process.env.BALLAST_BENCH_DIR || '/tmp/ballast-bench', seed: 7, repeat: 1 };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      const v = argv[(i += 1)];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--sizes') {
      opts.sizes = value().split(',').map(Number);
      if (opts.sizes.some((s) => !(s > 0))) throw new Error('--sizes takes positive numbers of GB, e.g. 1 or 1,5');
    } else if (arg === '--skip-hf') opts.skipHf = true;
    else if (arg === '--only') {
      opts.only = new Set(value().split(','));
      const unknown = [...opts.only].filter((t) => !TOOLS.includes(t));
      if (unknown.length > 0) throw new Error(`--only: unknown tool(s) ${unknown.join(', ')} (tools: ${TOOLS.join(', ')})`);
    }
    else if (arg === '--early-stop') opts.earlyStop = true;
    else if (arg === '--dir') opts.dir = value();
    else if (arg === '--seed') opts.seed = Number(value());
    else if (arg === '--repeat') {
      opts.repeat = Number(value());
      if (!Number.isInteger(opts.repeat) || opts.repeat < 1) throw new Error('--repeat takes a whole number >= 1');
    }
    else throw new Error(`unknown flag ${arg} (flags: --sizes 1|1,5, --skip-hf, --only TOOLS, --dir DIR, --seed N, --repeat N, --early-stop)`);
  }
  opts.dir = resolve(opts.dir);
  if (opts.only !== null && !opts.only.has('hf')) opts.skipHf = true;
  return opts;
}

/** Largest remainder: counts that sum to `total`, ties to the earlier component. */
function apportion(total, fractions) {
  const exact = fractions.map((f) => f * total);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((s, c) => s + c, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    counts[i] += 1;
    left -= 1;
  }
  return counts;
}

/** Half the input records, lowered until every component of both tasks has enough eligible records. */
function sizeTask(corpus) {
  const sources = corpus.sources;
  const inputRecords = sources.regular.records + sources.traits.records;
  const fits = (n, task) => apportion(n, task.map((c) => c.fraction)).every((count, i) => count <= countEligible(sources[task[i].dataset], task[i].filter));
  let total = Math.floor(inputRecords * OUTPUT_SHARE);
  const cap = Math.min(...[...TASK, ...WARM_TASK].map((c) => Math.floor(countEligible(sources[c.dataset], c.filter) / c.fraction)));
  total = Math.min(total, cap);
  while (total > 0 && !(fits(total, TASK) && fits(total, WARM_TASK))) total -= 1;
  return { inputRecords, total, capped: total < Math.floor(inputRecords * OUTPUT_SHARE), counts: apportion(total, TASK.map((c) => c.fraction)) };
}

const jqQuote = (v) => JSON.stringify(v);
/** A ComponentFilter as a jq boolean expression over `.tags`. */
function jqFilter(filter) {
  const parts = [];
  for (const key of ['kind', 'trait', 'domain']) {
    const f = filter[key];
    if (f?.in) parts.push(`(.tags.${key} | IN(${f.in.map(jqQuote).join(', ')}))`);
    if (f?.notIn) parts.push(`(.tags.${key} | IN(${f.notIn.map(jqQuote).join(', ')}) | not)`);
  }
  return parts.length === 0 ? 'true' : parts.join(' and ');
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const log = (line) => process.stdout.write(`${line}\n`);
  mkdirSync(opts.dir, { recursive: true });
  const scratch = join(opts.dir, 'scratch');
  mkdirSync(scratch, { recursive: true });

  if (!ensureTime(log)) throw new Error('GNU time is required to measure peak RSS');
  const runs = (tool) => opts.only === null || opts.only.has(tool);
  const haveJq = runs('jq') && ensureJq(log);
  const python = opts.skipHf ? null : ensureHfVenv(repoRoot, scratch, log);

  const stat = statfsSync(opts.dir);
  const freeGb = (stat.bavail * stat.bsize) / 1e9;
  let sizes = [...new Set(opts.sizes)].sort((a, b) => a - b);
  if (freeGb < MIN_FREE_GB_FOR_5 && sizes.some((s) => s > 1)) {
    log(`disk: ${freeGb.toFixed(1)} GB free in ${opts.dir} (< ${MIN_FREE_GB_FOR_5} GB): running the 1 GB size only`);
    sizes = [1];
  } else log(`disk: ${freeGb.toFixed(1)} GB free in ${opts.dir}`);
  const load = loadavg()[0];
  log(`cpus: ${cpus().length}; load average ${load.toFixed(2)}${load > 0.5 ? ' (other processes are using the CPUs: figures will be noisy; --repeat N keeps the fastest of N)' : ''}`);
  if (opts.repeat > 1) log(`repeat: each tool runs ${opts.repeat} times; the table shows the fastest wall time and the largest peak RSS`);
  log(`page cache: files are read warm; each size's sources are cat'ed once, untimed, before any tool runs`);
  log(`peak RSS: GNU time -v "Maximum resident set size" of each child process (largest single process of a pipeline)`);
  log(
    opts.earlyStop
      ? 'naive and jq stop reading once they have their counts (--early-stop)'
      : 'naive and jq read, parse and filter every input record, keeping the first N eligible per component (Ballast and HF read everything too; --early-stop changes this)',
  );

  const rows = [];
  for (const sizeGb of sizes) {
    const corpus = await ensureCorpus({ dir: opts.dir, sizeGb, seed: opts.seed, log });
    const src = { regular: corpus.sources.regular.path, traits: corpus.sources.traits.path };
    const inputBytes = corpus.sources.regular.bytes + corpus.sources.traits.bytes;
    const task = sizeTask(corpus);
    log(
      `task ${sizeGb} GB: ${task.inputRecords} input records -> ${task.total} output (${task.counts.join(' regular + ')} traits)` +
        (task.capped ? ', capped by the eligible records' : ''),
    );
    const outDir = join(opts.dir, 'out');
    // `before` runs ahead of every attempt (a cold run clears its cache there); `args` may depend on
    // the attempt.
    // Outputs are checked after each attempt (untimed), since the next attempt clears them; a wrong
    // count in any attempt shows in the row.
    const check = (m, outputs, expected, perComponent) => {
      if (m.code !== 0) {
        const errLines = m.stderr.split('\n').filter((l) => l.trim() !== '');
        const why = errLines.findLast((l) => /^\w*(Error|Exception)\b/.test(l.trim())) ?? errLines.at(-1) ?? '';
        return `FAILED (exit ${m.code}): ${why.trim().slice(0, 200)}`;
      }
      if (!outputs) return m.stdout.trim();
      const got = countLines(outputs(m));
      if (got.lines !== expected) return `WARNING: ${got.lines} records, expected ${expected}`;
      if (perComponent && got.matches !== perComponent[1]) return `${got.lines} records; traits ${got.matches} (requested ${perComponent[1]})`;
      return `${got.lines} records ok`;
    };
    const run = async (tool, command, args, { outputs, expected = task.total, env, perComponent = task.counts, before } = {}) => {
      let m;
      let warning;
      for (let attempt = 1; attempt <= opts.repeat; attempt += 1) {
        rmSync(outDir, { recursive: true, force: true });
        mkdirSync(outDir, { recursive: true });
        before?.();
        spawnSync('sync');
        log(`running ${tool} (${sizeGb} GB)${opts.repeat > 1 ? ` ${attempt}/${opts.repeat}` : ''}...`);
        const next = await measure(command, typeof args === 'function' ? args(attempt) : args, { scratchDir: scratch, env });
        next.note = check(next, outputs, expected, perComponent);
        if (next.note.startsWith('WARNING')) warning ??= next.note;
        if (m === undefined || next.code !== 0 || (m.code === 0 && next.wallS < m.wallS)) m = { ...next, peakRssMb: Math.max(next.peakRssMb, m?.peakRssMb ?? 0) };
        else m.peakRssMb = Math.max(m.peakRssMb, next.peakRssMb);
        if (next.code !== 0) break;
      }
      const row = { tool, sizeGb, wallS: m.wallS, mbPerS: inputBytes / 1e6 / m.wallS, peakRssMb: m.peakRssMb, note: m.code === 0 && warning ? warning : m.note };
      rows.push(row);
      rmSync(outDir, { recursive: true, force: true });
      return row;
    };

    spawnSync('sh', ['-c', 'cat "$@" > /dev/null', 'sh', src.regular, src.traits]);
    if (runs('cat')) await run('cat | wc -c', 'sh', ['-c', 'cat "$@" | wc -c', 'sh', src.regular, src.traits]);

    const naiveOut = join(outDir, 'naive.jsonl');
    const naiveSpec = {
      out: naiveOut,
      earlyStop: opts.earlyStop,
      components: TASK.map((c, i) => ({ path: src[c.dataset], filter: c.filter, count: task.counts[i] })),
    };
    if (runs('naive')) await run('naive node', process.execPath, [join(here, 'naive-mix.mjs'), JSON.stringify(naiveSpec)], { outputs: () => [naiveOut] });

    if (haveJq) {
      // One jq per component over its source; sed keeps the first N lines and reads on to the end
      // (head would stop jq early). The per-component outputs are not interleaved.
      const take = (n) => (opts.earlyStop ? `head -n ${n}` : `sed -n '1,${n}p'`);
      const script = TASK.map((c, i) => `jq -c ${shq(`select(${jqFilter(c.filter)})`)} ${shq(src[c.dataset])} | ${take(task.counts[i])} > ${shq(join(outDir, `jq-${c.name}.jsonl`))}`).join(' && ');
      log(`jq command: ${script}`);
      await run('jq', 'sh', ['-c', script], { outputs: () => TASK.map((c) => join(outDir, `jq-${c.name}.jsonl`)) });
    }

    if (python !== null && sizeGb <= 1) {
      const cacheDir = join(opts.dir, 'hf-cache');
      const hfOut = join(outDir, 'hf.jsonl');
      const hfSpec = {
        cache_dir: cacheDir,
        out: hfOut,
        total: task.total,
        seed: opts.seed,
        probabilities: TASK.map((c) => c.fraction),
        components: TASK.map((c) => ({ path: src[c.dataset], filter: c.filter })),
      };
      const env = { HF_HOME: join(opts.dir, 'hf-home'), HF_DATASETS_OFFLINE: '1', HF_HUB_OFFLINE: '1', HF_HUB_DISABLE_TELEMETRY: '1' };
      for (const phase of ['cold', 'warm']) {
        await run(`hf datasets ${phase}`, python, [join(here, 'hf_mix.py'), JSON.stringify(hfSpec)], {
          outputs: () => [hfOut],
          env,
          before: phase === 'cold' ? () => rmSync(cacheDir, { recursive: true, force: true }) : undefined,
        });
      }
      rmSync(cacheDir, { recursive: true, force: true });
    }

    // The floor for any mixer on this machine: read and write (and sync) an output-sized file.
    const outBytes = Math.round(inputBytes / 2);
    if (runs('floor')) {
      const floor = await run('write floor', 'sh', ['-c', 'head -c "$1" "$2" > "$3" && sync "$3"', 'sh', String(outBytes), src.regular, join(outDir, 'floor.jsonl')]);
      floor.note = `head -c ${Math.round(outBytes / 1e6)} MB of input > file, then sync`;
    }

    const storeDir = join(opts.dir, `ballast-store-${sizeGb}gb`);
    for (const [phase, components] of runs('ballast') ? [['cold', TASK], ['warm', WARM_TASK]] : []) {
      // A repeated warm run changes the seed, so that it is never a cache hit of the previous attempt.
      const spec = (attempt) => ({ sources: src, storeDir, outDir, totalRecords: task.total, components, seed: opts.seed + (phase === 'warm' ? attempt - 1 : 0) });
      const counts = apportion(task.total, components.map((c) => c.fraction));
      await run(`ballast ${phase}`, process.execPath, (attempt) => [join(here, 'ballast-run.mjs'), JSON.stringify(spec(attempt))], {
        outputs: (m) => JSON.parse(m.stdout.trim().split('\n').pop()).files,
        perComponent: counts,
        before: phase === 'cold' ? () => rmSync(storeDir, { recursive: true, force: true }) : undefined,
      });
    }
    rmSync(storeDir, { recursive: true, force: true });
  }

  report(rows, sizes, opts);
}

const shq = (s) => `'${String(s).replaceAll("'", "'\\''")}'`;

function report(rows, sizes, opts) {
  const find = (tool, size) => rows.find((r) => r.tool === tool && r.sizeGb === size && !r.note.startsWith('FAILED'));
  const fmt = (v, d) => (v === undefined || v === null || Number.isNaN(v) ? '-' : v.toFixed(d));
  const header = ['tool', 'size GB', 'wall s', 'MB/s', 'peak RSS MB', 'vs naive', 'records'];
  const lines = rows.map((r) => {
    const naive = find('naive node', r.sizeGb);
    const failed = r.note.startsWith('FAILED');
    return [r.tool, String(r.sizeGb), fmt(r.wallS, 2), failed ? '-' : fmt(r.mbPerS, 0), fmt(r.peakRssMb, 0), naive && !failed ? `${fmt(naive.wallS / r.wallS, 2)}x` : '-', r.note];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const print = (cells) => process.stdout.write(`${cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')}\n`);
  process.stdout.write('\n');
  print(header);
  print(widths.map((w) => '-'.repeat(w)));
  lines.forEach(print);
  process.stdout.write('\n');

  // Ratios at the smallest size run (the only one HF datasets runs at); RSS at 5 GB.
  const base = sizes[0];
  const ratio = (other, ballast) => {
    const o = find(other, base);
    const b = find(ballast, base);
    return o && b ? Number((o.wallS / b.wallS).toFixed(2)) : null;
  };
  const rss5 = ['ballast cold', 'ballast warm'].map((t) => find(t, 5)?.peakRssMb).filter((v) => v !== undefined);
  const summary = {
    ratio_vs_naive: ratio('naive node', 'ballast cold'),
    ratio_vs_naive_warm: ratio('naive node', 'ballast warm'),
    ratio_vs_hf: ratio('hf datasets cold', 'ballast cold'),
    ratio_vs_hf_warm: ratio('hf datasets warm', 'ballast warm'),
    ratio_vs_jq: ratio('jq', 'ballast cold'),
    ratio_vs_jq_warm: ratio('jq', 'ballast warm'),
    fraction_of_cat: ratio('cat | wc -c', 'ballast warm'),
    fraction_of_write_floor: ratio('write floor', 'ballast warm'),
    peak_rss_mb_5gb: rss5.length > 0 ? Math.round(Math.max(...rss5)) : null,
    peak_rss_mb_1gb: (() => {
      const v = ['ballast cold', 'ballast warm'].map((t) => find(t, 1)?.peakRssMb).filter((x) => x !== undefined);
      return v.length > 0 ? Math.round(Math.max(...v)) : null;
    })(),
    ratios_at_gb: base,
    sizes_gb: sizes,
    early_stop: opts.earlyStop,
  };
  const targets = [
    ['cold >= 3x naive', summary.ratio_vs_naive, 3],
    ['cold >= 2x HF datasets', summary.ratio_vs_hf, 2],
    ['warm >= 10x naive', summary.ratio_vs_naive_warm, 10],
    ['warm >= 2x HF datasets warm', summary.ratio_vs_hf_warm, 2],
    ['>= 5x jq (Ballast cold)', summary.ratio_vs_jq, 5],
  ];
  for (const [name, value, min] of targets) {
    process.stdout.write(`target ${name}: ${value === null ? 'not measured' : value >= min ? `met (${value}x)` : `NOT met (${value}x)`}\n`);
  }
  const rss = summary.peak_rss_mb_5gb;
  process.stdout.write(`target peak RSS <= 300 MB at 5 GB: ${rss === null ? 'not measured (5 GB not run)' : rss <= 300 ? `met (${rss} MB)` : `NOT met (${rss} MB)`}\n`);
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  // A failed tool or a wrong record count makes the figures untrustworthy: say so in the exit code.
  if (rows.some((r) => r.note.startsWith('FAILED') || r.note.startsWith('WARNING'))) process.exitCode = 1;
}

main().catch((err) => {
  process.stderr.write(`bench:mix failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
