import { pathToFileURL } from 'node:url';
import {
  experimentFieldOf,
  experimentLaunchSpec,
  experimentLaunchTarget,
  FrameworkRenderError,
  FrameworkSpecError,
  FrameworkVersionError,
  renderLaunch,
} from '@ballast/frameworks';
import { isUserPathError, resolveUserPath } from '@ballast/user-paths';
import { isRealFramework, type FieldIssue, type RealTrainerSpec, type ResolvedExperimentSpec, type RuntimeEnvironment } from '@ballast/schema';

/** A package a framework or harness needs in its environment: distribution name, import name, wanted version. */
export interface EnvironmentRequirement {
  readonly dist: string;
  readonly module: string;
  readonly version?: string;
}

/** Raised by `probe` when an environment lacks what a job needs; `code` is the ml-env error code. */
export interface EnvironmentProblem {
  readonly code: string;
  readonly message: string;
}

/** What launch validation of real models needs from the deployment (built by the server from its config). */
export interface RealModelLaunchContext {
  /** An environment's interpreter as a backend's nodes see it; null when no such environment is configured. */
  readonly pythonFor: (environment: string, backend: string) => string | null;
  readonly commandNames: readonly string[];
  /** Allowed roots for base models, reward functions and task files, and how an operator widens them. */
  readonly roots: readonly string[];
  readonly rootsSetting: string;
  /** Checks an environment on this host; resolves to what it holds, or rejects with an EnvironmentProblem. */
  readonly probe: (input: { name: string; python: string; require: readonly EnvironmentRequirement[] }) => Promise<RuntimeEnvironment>;
  /** The packages each framework needs (from @ballast/ml-env). */
  readonly frameworkRequirements: Readonly<Record<string, readonly EnvironmentRequirement[]>>;
  /** The packages each real harness (inspect, lm-eval) needs (from @ballast/ml-env). */
  readonly harnessRequirements: Readonly<Record<string, readonly EnvironmentRequirement[]>>;
}

const RENDER_CHECK_DIR = '/ballast-render-check';
const SHARD_EXTENSION: Record<RealTrainerSpec['framework'], string> = { trl: 'jsonl', verl: 'parquet', openrlhf: 'jsonl' };

/**
 * The real-model checks of a launch, after the schema: the environment exists and holds the framework
 * (at the version asked for), the base model and reward function resolve inside the allowed roots, the
 * command is configured, and the framework can render the spec. Returns the issues (at their paths in
 * the request) and the spec with every user path replaced by the real path it resolved to, and the
 * framework version filled in from the environment when the spec left it out.
 */
export async function checkRealModelLaunch(
  ctx: RealModelLaunchContext | undefined,
  spec: ResolvedExperimentSpec,
  /** The harnesses of the benchmarks the spec evaluates (`reference`, `inspect`, `lm-eval`). */
  harnesses: readonly string[] = [],
): Promise<{ issues: FieldIssue[]; resolved: ResolvedExperimentSpec }> {
  const trainer = spec.spec.trainer;
  if (trainer.framework === 'reference') return { issues: [], resolved: spec };
  const evaluationIssues = ctx ? await harnessEnvironmentIssues(ctx, spec, harnesses) : [];
  const checked = await checkTrainer(ctx, spec);
  return { issues: [...checked.issues, ...evaluationIssues], resolved: checked.resolved };
}

/**
 * The evaluation environment exists where the backend runs and holds the harnesses the benchmarks
 * need: otherwise the first checkpoint's evaluation would be the first to find out, after training.
 */
async function harnessEnvironmentIssues(ctx: RealModelLaunchContext, spec: ResolvedExperimentSpec, harnesses: readonly string[]): Promise<FieldIssue[]> {
  const require = harnesses.flatMap((h) => ctx.harnessRequirements[h] ?? []);
  if (require.length === 0) return [];
  const environment = spec.spec.evaluation.environment;
  const localPython = ctx.pythonFor(environment, 'local');
  if (ctx.pythonFor(environment, spec.spec.backend.kind) === null || localPython === null) {
    return [{ path: 'spec.spec.evaluation.environment', message: `no environment '${environment}' is configured (ml.environments)` }];
  }
  try {
    await ctx.probe({ name: environment, python: localPython, require });
    return [];
  } catch (err) {
    return [{ path: 'spec.spec.evaluation.environment', message: (err as EnvironmentProblem).message }];
  }
}

async function checkTrainer(ctx: RealModelLaunchContext | undefined, spec: ResolvedExperimentSpec): Promise<{ issues: FieldIssue[]; resolved: ResolvedExperimentSpec }> {
  const trainer = spec.spec.trainer;
  if (trainer.framework === 'reference') return { issues: [], resolved: spec };
  if (!ctx) {
    return { issues: [{ path: 'spec.spec.trainer.framework', message: `'${trainer.framework}' needs the ml configuration, which this deployment does not have` }], resolved: spec };
  }
  if (trainer.framework === 'command') {
    const known = ctx.commandNames.includes(trainer.command);
    const issues: FieldIssue[] = known ? [] : [{ path: 'spec.spec.trainer.command', message: `no command '${trainer.command}' is configured (ml.commands has: ${ctx.commandNames.join(', ') || 'none'})` }];
    // The command reads the base model too: the same roots apply.
    const resolved = structuredClone(spec) as ResolvedExperimentSpec;
    const model = resolvePath(ctx, spec.spec.baseCheckpoint, 'spec.spec.baseCheckpoint', 'directory', issues);
    if (model) resolved.spec.baseCheckpoint = model;
    return { issues, resolved };
  }
  if (!isRealFramework(trainer)) return { issues: [], resolved: spec };
  const issues: FieldIssue[] = [];
  const resolved = structuredClone(spec) as ResolvedExperimentSpec;
  const real = resolved.spec.trainer as RealTrainerSpec;

  const model = resolvePath(ctx, spec.spec.baseCheckpoint, 'spec.spec.baseCheckpoint', 'directory', issues);
  if (model) resolved.spec.baseCheckpoint = model;
  if (trainer.reward) {
    const reward = resolvePath(ctx, trainer.reward.path, 'spec.spec.trainer.reward.path', 'file', issues);
    if (reward) real.reward = { ...trainer.reward, path: reward };
  }

  const python = ctx.pythonFor(trainer.environment, spec.spec.backend.kind);
  const localPython = ctx.pythonFor(trainer.environment, 'local');
  if (python === null || localPython === null) {
    issues.push({ path: 'spec.spec.trainer.environment', message: `no environment '${trainer.environment}' is configured (ml.environments)` });
  } else {
    const require = (ctx.frameworkRequirements[trainer.framework] ?? []).map((r, i) => (i === 0 && trainer.version ? { ...r, version: trainer.version } : r));
    try {
      const env = await ctx.probe({ name: trainer.environment, python: localPython, require });
      const found = env.packages[require[0]?.dist ?? ''];
      if (real.version === undefined && found) real.version = found;
    } catch (err) {
      const problem = err as EnvironmentProblem;
      const path = problem.code === 'ML_ENV_VERSION_MISMATCH' ? 'spec.spec.trainer.version' : 'spec.spec.trainer.environment';
      issues.push({ path, message: problem.message });
    }
  }
  if (issues.length === 0 && python !== null) issues.push(...renderIssues(resolved, python));
  return { issues, resolved };
}

/** Renders the spec with placeholder shards: a spec the framework cannot honour is refused here, by field. */
function renderIssues(spec: ResolvedExperimentSpec, python: string): FieldIssue[] {
  const trainer = spec.spec.trainer as RealTrainerSpec;
  const shard = `${RENDER_CHECK_DIR}/mix/part-00000.${SHARD_EXTENSION[trainer.framework]}`;
  const launchSpec = experimentLaunchSpec(spec, { seed: spec.spec.seed, shards: [shard], jobOutputDir: `${RENDER_CHECK_DIR}/job`, python });
  try {
    renderLaunch(launchSpec, experimentLaunchTarget(trainer));
    return [];
  } catch (err) {
    if (err instanceof FrameworkRenderError) return [{ path: `spec.${experimentFieldOf(err.field)}`, message: err.message }];
    if (err instanceof FrameworkSpecError) return err.issues.map((i) => ({ path: `spec.${experimentFieldOf(i.path)}`, message: i.message }));
    if (err instanceof FrameworkVersionError) return [{ path: 'spec.spec.trainer.version', message: err.message }];
    throw err;
  }
}

function resolvePath(
  ctx: RealModelLaunchContext,
  given: string,
  field: string,
  expect: 'file' | 'directory',
  issues: FieldIssue[],
): string | null {
  try {
    const found = resolveUserPath(given, { field, roots: ctx.roots, rootsSetting: ctx.rootsSetting, expect });
    return pathToFileURL(found.path).href;
  } catch (err) {
    if (isUserPathError(err)) {
      issues.push({ path: field, message: err.reason });
      return null;
    }
    throw err;
  }
}
