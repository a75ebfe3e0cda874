import { access, constants, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { z } from 'zod';
import type { RuntimeEnvironment } from '@ballast/schema';
import { MlEnvironmentError } from './errors.js';
import { PYTHON_SCRIPTS, runPython, tailLines } from './python-process.js';
import { versionMatches, type EnvironmentRequirement } from './requirements.js';

/** How long a probe's answer is reused: a launch of many arms probes once. */
export const PROBE_CACHE_MS = 60_000;
/** Importing torch cold takes a while on a busy machine. */
export const DEFAULT_PROBE_TIMEOUT_MS = 120_000;

/** What probe_env.py prints. */
const ProbeAnswer = z.object({
  pythonVersion: z.string().min(1),
  packages: z.record(z.string(), z.string().nullable()),
  imports: z.record(z.string(), z.boolean()),
  importErrors: z.record(z.string(), z.string()).default({}),
});
type ProbeAnswer = z.infer<typeof ProbeAnswer>;

export interface ProbeEnvironmentInput {
  /** The configured environment's name, for messages and the result. */
  readonly name: string;
  /** Its interpreter as this host sees it. */
  readonly python: string;
  readonly require: readonly EnvironmentRequirement[];
  readonly timeoutMs?: number;
}

const cache = new Map<string, { readonly at: number; readonly answer: Promise<ProbeAnswer> }>();

/** Forgets every cached probe (tests; after installing into an environment by hand). */
export function clearProbeCache(): void {
  cache.clear();
}

/**
 * Checks that an environment's interpreter runs, every required distribution is installed and its
 * module imports, and the versions asked for match; returns what it holds. Answers are cached per
 * interpreter and requirement list for {@link PROBE_CACHE_MS}, keyed also by the modification time
 * of the venv's pyvenv.cfg (or the interpreter), so a rebuilt venv is probed again.
 *
 * @throws MlEnvironmentError ML_ENV_PYTHON_MISSING, ML_ENV_PACKAGE_MISSING, ML_ENV_VERSION_MISMATCH, ML_ENV_PROBE_FAILED
 */
export async function probeEnvironment(input: ProbeEnvironmentInput): Promise<RuntimeEnvironment> {
  const { name, python, require } = input;
  const answer = await cachedProbe(input, await interpreterStamp(name, python));

  const missing: { dist: string; why: string }[] = [];
  const mismatches: { dist: string; wanted: string; found: string }[] = [];
  const packages: Record<string, string> = {};
  for (const r of require) {
    const version = answer.packages[r.dist];
    if (version === null || version === undefined) missing.push({ dist: r.dist, why: 'not installed' });
    else if (answer.imports[r.module] !== true) missing.push({ dist: r.dist, why: `import ${r.module} failed: ${answer.importErrors[r.module] ?? 'unknown error'}` });
    else {
      packages[r.dist] = version;
      if (r.version && !versionMatches(r.version, version)) mismatches.push({ dist: r.dist, wanted: r.version, found: version });
    }
  }
  if (missing.length > 0) throw MlEnvironmentError.packageMissing(name, python, missing);
  if (mismatches.length > 0) throw MlEnvironmentError.versionMismatch(name, python, mismatches);
  return { name, python, pythonVersion: answer.pythonVersion, packages };
}

/** The interpreter's identity for the cache; throws ML_ENV_PYTHON_MISSING when it cannot be run. */
async function interpreterStamp(name: string, python: string): Promise<number> {
  // A bare name is looked up on PATH by spawn; only an absolute path can be checked here.
  if (!isAbsolute(python)) return 0;
  try {
    await access(python, constants.X_OK);
  } catch {
    throw MlEnvironmentError.pythonMissing(name, python, 'does not exist or is not executable');
  }
  for (const file of [join(dirname(dirname(python)), 'pyvenv.cfg'), python]) {
    try {
      return (await stat(file)).mtimeMs;
    } catch {
      // Not a venv: the interpreter's own time.
    }
  }
  return 0;
}

function cachedProbe(input: ProbeEnvironmentInput, stamp: number): Promise<ProbeAnswer> {
  const dists = [...new Set(input.require.map((r) => r.dist))].sort();
  const modules = [...new Set(input.require.map((r) => r.module))].sort();
  const key = JSON.stringify([input.python, stamp, dists, modules]);
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && now - hit.at < PROBE_CACHE_MS) return hit.answer;
  const answer = runProbe(input, dists, modules);
  cache.set(key, { at: now, answer });
  // A failed probe is not remembered: the next launch asks again.
  answer.catch(() => {
    if (cache.get(key)?.answer === answer) cache.delete(key);
  });
  return answer;
}

async function runProbe(input: ProbeEnvironmentInput, dists: readonly string[], modules: readonly string[]): Promise<ProbeAnswer> {
  const { name, python } = input;
  const timeoutMs = input.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const argv = [PYTHON_SCRIPTS.probe, ...dists.flatMap((d) => ['--dist', d]), ...modules.flatMap((m) => ['--module', m])];
  const run = await runPython(python, argv, { timeoutMs });
  if (run.kind === 'not-started') {
    throw MlEnvironmentError.pythonMissing(name, python, run.errorCode === 'ENOENT' ? 'does not exist' : `could not be started (${run.errorCode})`);
  }
  if (run.kind === 'killed') {
    const why = run.timedOut ? `did not answer within ${Math.round(timeoutMs / 1000)} s` : `was killed by ${run.signal}`;
    throw MlEnvironmentError.probeFailed(name, python, why, tailLines(run.stderrTail));
  }
  if (run.code !== 0) throw MlEnvironmentError.probeFailed(name, python, `exited with code ${run.code}`, tailLines(run.stderrTail));
  const last = run.stdout.trim().split('\n').pop() ?? '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(last);
  } catch {
    throw MlEnvironmentError.probeFailed(name, python, `printed no JSON (last line: ${JSON.stringify(last.slice(0, 200))})`, tailLines(run.stderrTail));
  }
  const answer = ProbeAnswer.safeParse(parsed);
  if (!answer.success) throw MlEnvironmentError.probeFailed(name, python, `answered in an unknown shape: ${answer.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return answer.data;
}
