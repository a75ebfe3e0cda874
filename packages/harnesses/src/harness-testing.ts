// Shared by this package's tests only (not exported from index.ts).
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repositoryRoot } from '@ballast/config';
import { benchmarkRef, CONTRACT_VERSION, JobStatusFile, type HarnessBenchmarkInput, type HarnessEvalJobSpec } from '@ballast/schema';
import { readBenchmarkEntryFile } from './entry-file.js';

export { defaultPython } from '@ballast/ml-env/testing';

export const EXAMPLES_DIR = join(repositoryRoot(), 'examples', 'benchmarks');
export const PROGRAM = fileURLToPath(new URL('./bin/evaluate.js', import.meta.url));
export const FIXTURES_DIR = fileURLToPath(new URL('../src/fixtures/', import.meta.url));

/** The example benchmarks (examples/benchmarks/*.benchmark.yaml) as a harness eval job names them. */
export async function exampleBenchmarks(): Promise<HarnessBenchmarkInput[]> {
  const files = (await readdir(EXAMPLES_DIR)).filter((n) => n.endsWith('.benchmark.yaml')).sort();
  const out: HarnessBenchmarkInput[] = [];
  for (const file of files) {
    const entry = await readBenchmarkEntryFile(join(EXAMPLES_DIR, file));
    const h = entry.harness;
    if (h.kind === 'reference') throw new Error(`${file} names the reference harness`);
    const harness =
      h.kind === 'inspect'
        ? { ...h, task: h.task.startsWith('file:') ? uriToTaskPath(h.task) : h.task }
        : { ...h, ...(h.includePath === undefined ? {} : { includePath: fileURLToPath(h.includePath) }) };
    out.push({ ref: benchmarkRef(entry), category: entry.category, metric: entry.metric, direction: entry.direction, harness });
  }
  return out;
}

function uriToTaskPath(uri: string): string {
  const hash = uri.indexOf('#');
  return hash < 0 ? fileURLToPath(uri) : `${fileURLToPath(uri.slice(0, hash))}${uri.slice(hash)}`;
}

export function jobSpec(fields: Pick<HarnessEvalJobSpec, 'checkpointPath' | 'python' | 'benchmarks'> & Partial<HarnessEvalJobSpec>): HarnessEvalJobSpec {
  return {
    contractVersion: CONTRACT_VERSION,
    kind: 'harness-eval',
    environmentName: 'default',
    samplesPerItem: 2,
    seed: 3,
    limit: 3,
    decoding: { temperature: 1, maxNewTokens: 8 },
    device: 'cpu',
    ...fields,
  };
}

export interface ProgramRun {
  readonly code: number | null;
  readonly log: string;
  readonly status: JobStatusFile;
  readonly outputDir: string;
}

/** Runs the eval program the way a backend does (contract env, nothing else of this process's env). */
export async function runEvalProgram(dir: string, spec: HarnessEvalJobSpec, timeoutMs: number): Promise<ProgramRun> {
  const outputDir = join(dir, 'output');
  const specPath = join(dir, 'spec.json');
  await mkdir(join(dir, 'home'), { recursive: true });
  await writeFile(specPath, JSON.stringify(spec));
  const env = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: join(dir, 'home'),
    BALLAST_CONTRACT_VERSION: CONTRACT_VERSION,
    BALLAST_JOB_ID: 'job-test',
    BALLAST_ATTEMPT_ID: 'attempt-1',
    BALLAST_JOB_SPEC: specPath,
    BALLAST_OUTPUT_DIR: outputDir,
    BALLAST_SEED: String(spec.seed),
    OMP_NUM_THREADS: '1',
  };
  const { code, log } = await new Promise<{ code: number | null; log: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [PROGRAM], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (c: Buffer) => (log += c.toString()));
    child.stderr.on('data', (c: Buffer) => (log += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the eval program did not finish within ${timeoutMs / 1000} s; its log:\n${log.slice(-4000)}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (c) => {
      clearTimeout(timer);
      resolve({ code: c, log });
    });
  });
  let status: JobStatusFile;
  try {
    status = JobStatusFile.parse(JSON.parse(await readFile(join(outputDir, 'status.json'), 'utf8')));
  } catch (err) {
    throw new Error(`the eval program (exit ${code}) wrote no readable status.json: ${(err as Error).message}; its log:\n${log.slice(-4000)}`);
  }
  return { code, log, status, outputDir };
}
