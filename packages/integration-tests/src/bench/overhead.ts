// `npm run bench:overhead`: what Ballast adds to one real TRL training job. The same training (a tiny
// random model, the same rendered launch) runs two ways, 3 times each, interleaved so that machine noise
// falls on both alike:
//   direct  — the exact command Ballast renders (@ballast/frameworks, prepared in a fresh directory), run
//             by hand: spawn to exit.
//   ballast — the same spec launched through the API on the local backend: the training job's attempt,
//             from its submission (QUEUED) to its end, as the job records it. That covers the backend's
//             launch, the framework runner (environment record, checkpoint commits, metrics) and the
//             backend's exit handling. The launch-time environment check is NOT counted: it runs in the
//             API before the experiment exists, once per launch, not per job.
// Ends with one JSON line: { "ratio_vs_direct": median ballast / median direct, "overhead_s": difference }.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { experimentLaunchSpec, experimentLaunchTarget, prepareLaunch, renderLaunch } from '@ballast/frameworks';
import type { FrameworkTrainJobSpec, JobView, ResolvedExperimentSpec } from '@ballast/schema';
import { defaultPython, REAL_MODEL_ENV, registerExampleBenchmarks, tinyModel, tinyTrlSpec } from '../harness/real-models.js';
import { startTestStack, type TestStack } from '../harness/stack.js';
import { pollUntil, waitForExperiment } from '../harness/wait.js';

const RUNS = 3;
/** Enough steps that one training takes at least a minute on this 2-core machine (400 took 30 s, 1000 took 57 s). */
const STEPS = Number(process.env['BALLAST_BENCH_STEPS'] ?? 1200);

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

async function ballastRun(stack: TestStack, model: string, i: number): Promise<{ seconds: number; jobSpec: FrameworkTrainJobSpec; spec: ResolvedExperimentSpec }> {
  const spec = await tinyTrlSpec(model, {
    name: `bench-overhead-${i}`,
    trainer: { steps: STEPS, saveEvery: STEPS / 4 },
    evaluation: { limit: 1, samplesPerItem: 1, checkpoints: 'final', benchmarks: ['calibration-mc@1'] },
    arms: [{ name: 'baseline', mix: { components: [{ dataset: 'regular', fraction: 1 }] } }],
    comparisons: [],
  });
  // A seed of its own per run: otherwise the second launch would be the first one's cached checkpoint.
  (spec.spec as { seed: number }).seed = 1000 + i;
  const { experiment } = await stack.api.experiments.launch.mutate({ clientRequestId: `bench-overhead-${i}-${Date.now()}`, spec });
  const train = await pollUntil(
    'the training job to finish',
    async () => {
      const job = (await stack.api.jobs.list.query({ id: experiment.id })).find((j) => j.kind === 'train');
      const last = job?.attempts.at(-1);
      if (last && ['FAILED', 'CANCELLED', 'LOST'].includes(last.state)) throw new Error(`training ended ${last.state}: ${JSON.stringify(last.transitions)}`);
      return last?.state === 'SUCCEEDED' && last.endedAt ? job : null;
    },
    { timeoutMs: 1_800_000, intervalMs: 250 },
  );
  const seconds = attemptSeconds(train!);
  // The final checkpoint's evaluation runs after training: let it end, so that it does not share the
  // CPUs with the next direct run.
  const done = await waitForExperiment(stack, experiment.id, { timeoutMs: 900_000 });
  if (done.phase !== 'SUCCEEDED') throw new Error(`the experiment ended ${done.phase}: ${done.error ?? ''}`);
  const jobSpec = JSON.parse(await readFile(join(stack.home, 'artifacts', 'job-specs', `${train!.id}.json`), 'utf8')) as FrameworkTrainJobSpec;
  const stored = await stack.api.experiments.spec.query({ id: experiment.id });
  return { seconds, jobSpec, spec: stored.resolved as ResolvedExperimentSpec };
}

/** From the attempt's first transition (submitted, QUEUED) to its end. */
function attemptSeconds(job: JobView): number {
  const attempt = job.attempts.at(-1)!;
  const start = Math.min(...attempt.transitions.map((t) => Date.parse(t.at)));
  return (Date.parse(attempt.endedAt!) - start) / 1000;
}

/** The same rendering Ballast does, into a fresh directory, run by hand. */
async function directRun(spec: ResolvedExperimentSpec, shards: string[], python: string): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'ballast-bench-direct-'));
  try {
    const launch = renderLaunch(
      experimentLaunchSpec(spec, { seed: spec.spec.seed, shards, jobOutputDir: dir, python }),
      experimentLaunchTarget(spec.spec.trainer as Parameters<typeof experimentLaunchTarget>[0]),
    );
    const { command, env, cwd } = await prepareLaunch(launch, dir);
    const started = performance.now();
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(command[0]!, command.slice(1), { cwd, env: { ...process.env, ...env, ...OFFLINE }, stdio: ['ignore', 'ignore', 'inherit'] });
      child.once('error', reject);
      child.once('exit', (c) => resolve(c));
    });
    if (code !== 0) throw new Error(`the direct run exited ${code}`);
    return (performance.now() - started) / 1000;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const OFFLINE = { HF_HUB_OFFLINE: '1', HF_DATASETS_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1' };

async function main(): Promise<void> {
  const stack = await startTestStack('bench-overhead', { env: REAL_MODEL_ENV });
  try {
    const model = await tinyModel(stack);
    await registerExampleBenchmarks(stack);
    const direct: number[] = [];
    const ballast: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const b = await ballastRun(stack, model, i);
      ballast.push(b.seconds);
      process.stdout.write(`run ${i + 1}: ballast ${b.seconds.toFixed(1)} s\n`);
      const trlConfig = await readFile(join(b.jobSpec.launch.cwd, 'trl-grpo.yaml'), 'utf8');
      const shards = [...trlConfig.matchAll(/^ {6}- "(.+\.jsonl)"$/gm)].map((m) => JSON.parse(`"${m[1]!}"`) as string);
      const d = await directRun(b.spec, shards, defaultPython(stack.config));
      direct.push(d);
      process.stdout.write(`run ${i + 1}: direct  ${d.toFixed(1)} s\n`);
    }
    const md = median(direct);
    const mb = median(ballast);
    process.stdout.write(`medians over ${RUNS} interleaved runs of ${STEPS} TRL steps: direct ${md.toFixed(1)} s, ballast ${mb.toFixed(1)} s (environment check not counted)\n`);
    process.stdout.write(`${JSON.stringify({ ratio_vs_direct: Number((mb / md).toFixed(3)), overhead_s: Number((mb - md).toFixed(2)) })}\n`);
  } finally {
    await stack.stop();
  }
}

await main();
