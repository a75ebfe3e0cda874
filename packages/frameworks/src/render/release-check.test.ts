// The rendered verl and OpenRLHF launches, checked against the pinned releases themselves rather than
// only against goldens: every verl override is composed (strictly) with the Hydra config the verl wheel
// ships, and every OpenRLHF flag is looked up among those the release's train_ppo_ray.py defines, read
// from the wheel with Python's ast. Neither framework can run here (no GPU); release-check/ holds the
// scripts and setup.mjs, which builds their small venv on first use (about 10 s from PyPI).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { before, describe, test } from 'node:test';
import type { TrainingSpecInput } from '../spec.js';
import { BASE_SPEC, GOLDEN_CASES, OPENRLHF_SPEC } from './golden-cases.js';
import { openRlhfResumeArgs, renderOpenRlhf } from './openrlhf.js';
import { renderVerl, verlActorCheckpointDir, verlMergeCommand, verlResumeArgs } from './verl.js';

const RELEASE_CHECK_DIR = fileURLToPath(new URL('../../release-check/', import.meta.url));
const TOOLS_DIR = fileURLToPath(new URL('../../../../.tools/', import.meta.url));
const PINNED = { verl: '0.9.1', openrlhf: '0.11.2' } as const;
// Both ends of each OpenRLHF flag dialect's supported range, besides the pinned release.
const OPENRLHF_VERSIONS = ['0.11.2', '0.10.2', '0.10.1', '0.9.8'] as const;

interface ReleaseCheckEnv {
  python: string;
  wheels: { name: string; version: string; path: string }[];
  installed: boolean;
  seconds: number;
}
interface SetupModule {
  ensureReleaseCheckEnv(toolsDir: string): Promise<ReleaseCheckEnv>;
}

interface Flag {
  flag: string;
  options: string[];
  parser: string;
  action: string | null;
  type: string | null;
  choices: unknown[] | null;
  nargs: number | string | null;
  required: boolean;
  takesValue: boolean;
}
interface FlagFile {
  file: string;
  release?: { name: string; version: string };
  flags: Flag[];
  subcommands: Record<string, { parser: string; parents: string[] }>;
  unresolved: { line: number; source: string }[];
}

interface ComposedValue {
  value: unknown;
  type: string;
  defaultType: string;
  problem?: string;
}
type ComposedCase = { name: string; ok: true; values: Record<string, ComposedValue>; missing: string[] } | { name: string; ok: false; error: string; key: string | null };
interface Composed {
  verl: { version: string; packageDir: string; configDir: string; configName: string };
  cases: ComposedCase[];
}

function runPython(python: string, script: string, args: string[], stdin: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // No __pycache__ in the source tree.
    const child = spawn(python, [join(RELEASE_CHECK_DIR, script), ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${script} exited with ${code}: ${err.slice(-3000)}`))));
    child.stdin.end(stdin);
  });
}

// --- verl: what each override means to Hydra, so the composed value can be compared with it ---

interface Intent {
  type: 'str' | 'int' | 'float' | 'bool' | 'list';
  value: unknown;
}

/** Splits a Hydra list body on commas outside single quotes. */
function splitList(body: string): string[] {
  const items: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of body) {
    if (ch === "'") quoted = !quoted;
    if (ch === ',' && !quoted) {
      items.push(current);
      current = '';
    } else current += ch;
  }
  if (current !== '' || items.length > 0) items.push(current);
  return items;
}

function hydraIntent(text: string): Intent {
  if (text.length >= 2 && text.startsWith("'") && text.endsWith("'")) return { type: 'str', value: text.slice(1, -1) };
  if (text.startsWith('[') && text.endsWith(']')) return { type: 'list', value: splitList(text.slice(1, -1)).map((item) => hydraIntent(item).value) };
  if (text === 'True' || text === 'False') return { type: 'bool', value: text === 'True' };
  if (/^-?[0-9]+$/.test(text)) return { type: 'int', value: Number(text) };
  if (/^-?[0-9]+\.[0-9]*(e[-+]?[0-9]+)?$/i.test(text)) return { type: 'float', value: Number(text) };
  return { type: 'str', value: text };
}

/** The last value each key is given (Hydra applies overrides in order). */
function intents(overrides: readonly string[]): Map<string, Intent> {
  const out = new Map<string, Intent>();
  for (const o of overrides) {
    const at = o.indexOf('=');
    out.set(o.slice(0, at), hydraIntent(o.slice(at + 1)));
  }
  return out;
}

// verl reads `data.train_files`/`val_files` as one path or a list of them; its YAML default is one path.
const LIST_FOR_STRING = new Set(['data.train_files', 'data.val_files']);
// The reward model's rollout engine stays unset: Ballast scores with a reward function, not a model.
const ALLOWED_MISSING = ['reward.reward_model.rollout.name'];
const NUMERIC = new Set(['int', 'float']);

function verlProblems(overrides: readonly string[], composed: ComposedCase): string[] {
  if (!composed.ok) return [`verl ${PINNED.verl} refused the overrides: ${composed.error} (key: ${composed.key})`];
  const problems: string[] = [];
  for (const [key, intent] of intents(overrides)) {
    const got = composed.values[key];
    if (got === undefined) {
      problems.push(`${key}: not reported by compose_verl.py`);
      continue;
    }
    if (got.problem !== undefined) problems.push(`${key}: ${got.problem}`);
    if (got.type !== intent.type) problems.push(`${key}: rendered as ${intent.type} ${JSON.stringify(intent.value)}, Hydra composed ${got.type} ${JSON.stringify(got.value)}`);
    else if (JSON.stringify(got.value) !== JSON.stringify(intent.value)) problems.push(`${key}: rendered ${JSON.stringify(intent.value)}, composed ${JSON.stringify(got.value)}`);
    const fits =
      got.defaultType === 'NoneType' ||
      got.defaultType === got.type ||
      (NUMERIC.has(got.defaultType) && NUMERIC.has(got.type)) ||
      (LIST_FOR_STRING.has(key) && got.defaultType === 'str' && got.type === 'list');
    if (!fits) problems.push(`${key}: verl's default is a ${got.defaultType}, the render gives a ${got.type}`);
  }
  const missing = composed.missing.filter((k) => !ALLOWED_MISSING.includes(k));
  if (missing.length > 0) problems.push(`mandatory (???) keys left unset: ${missing.join(', ')}`);
  return problems;
}

// --- OpenRLHF and the verl merger: an argv against an argparse flag table ---

function argvProblems(args: readonly string[], flags: readonly Flag[], source: string): string[] {
  const byOption = new Map<string, Flag>();
  for (const f of flags) for (const o of f.options) byOption.set(o, f);
  const problems: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const flag = byOption.get(arg);
    if (!arg.startsWith('-')) {
      problems.push(`'${arg}' follows no flag that takes a value`);
      continue;
    }
    if (flag === undefined) {
      problems.push(`${arg} is not defined by ${source}`);
      continue;
    }
    if (seen.has(flag.flag)) problems.push(`${arg} is given twice`);
    seen.add(flag.flag);
    if (!flag.takesValue) continue;
    const count = typeof flag.nargs === 'number' ? flag.nargs : flag.nargs === null ? 1 : NaN;
    if (Number.isNaN(count)) {
      problems.push(`${arg} takes nargs=${String(flag.nargs)}, which the renderers never emit`);
      continue;
    }
    for (let k = 0; k < count; k++) {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('--')) {
        problems.push(`${arg} takes a value (${flag.type ?? 'str'}) but none follows`);
        break;
      }
      i++;
      if (flag.type === 'int' && !/^-?[0-9]+$/.test(value)) problems.push(`${arg} ${value}: not an int`);
      if (flag.type === 'float' && !Number.isFinite(Number(value))) problems.push(`${arg} ${value}: not a float`);
      if (flag.choices !== null && !flag.choices.map(String).includes(value)) problems.push(`${arg} ${value}: not one of ${JSON.stringify(flag.choices)}`);
    }
  }
  for (const f of flags) if (f.required && !seen.has(f.flag)) problems.push(`${f.flag} is required by ${source}`);
  return problems;
}

function openRlhfProblems(argv: readonly string[], file: FlagFile, python = 'python3'): string[] {
  assert.deepEqual(argv.slice(0, 3), [python, '-m', 'openrlhf.cli.train_ppo_ray']);
  return argvProblems(argv.slice(3), file.flags, `OpenRLHF ${file.release?.version ?? '?'} ${file.file}`);
}

// --- the cases ---

const CKPT = `${BASE_SPEC.outputDir}/global_step_50`;
const VERL_OPTIONS = {
  'actor_rollout_ref.rollout.name': 'sglang',
  'actor_rollout_ref.rollout.gpu_memory_utilization': 0.6,
  'actor_rollout_ref.actor.entropy_coeff': 0.001,
  'actor_rollout_ref.actor.ppo_epochs': 2,
  'actor_rollout_ref.model.enable_gradient_checkpointing': false,
  'data.truncation': 'left',
  'trainer.experiment_name': 'traits-5 s17, a/b',
} as const;
const MINIMAL = {
  algorithm: 'grpo',
  modelPath: BASE_SPEC.modelPath,
  dataset: BASE_SPEC.dataset,
  steps: 100,
  saveEvery: 25,
  seed: 0,
  nodes: 1,
  gpusPerNode: 1,
  outputDir: BASE_SPEC.outputDir,
  groupSize: 4,
} as const satisfies TrainingSpecInput;

const VERL_CASES: readonly { name: string; argv: () => string[] }[] = [
  { name: 'grpo, every optional field', argv: () => renderVerl(BASE_SPEC).argv },
  { name: 'grpo, no optional field', argv: () => renderVerl(MINIMAL).argv },
  { name: 'grpo, KL off', argv: () => renderVerl({ ...BASE_SPEC, klCoef: 0 }).argv },
  { name: 'ppo', argv: () => renderVerl({ ...BASE_SPEC, algorithm: 'ppo', groupSize: undefined, klCoef: 0.01 }).argv },
  { name: 'reinforce', argv: () => renderVerl({ ...BASE_SPEC, algorithm: 'reinforce', groupSize: 4, klCoef: 0.01 }).argv },
  { name: 'reinforce, no group, no KL', argv: () => renderVerl({ ...MINIMAL, algorithm: 'reinforce', groupSize: undefined }).argv },
  { name: 'multi-node', argv: () => renderVerl({ ...BASE_SPEC, nodes: 4 }, { rayAddress: '10.0.0.1:6379' }).argv },
  { name: 'python and options', argv: () => renderVerl({ ...BASE_SPEC, python: '/envs/verl/bin/python', options: VERL_OPTIONS }).argv },
  { name: 'resume', argv: () => [...renderVerl(BASE_SPEC).argv, ...verlResumeArgs(CKPT)] },
];

const MADE_UP_VERL_KEY = 'trainer.made_up_retention_knob';

// The goldens (and so the examples in docs/frameworks.md) are checked too; an OpenRLHF golden
// against both checked releases of its dialect.
const VERL_GOLDENS = GOLDEN_CASES.filter((c) => c.name.startsWith('verl-'));
const OPENRLHF_GOLDENS = GOLDEN_CASES.filter((c) => c.name.startsWith('openrlhf-')).map((c) => ({
  ...c,
  versions: c.name.includes('-legacy-') ? ['0.10.1', '0.9.8'] : ['0.11.2', '0.10.2'],
}));

function openRlhfCases(version: string): { name: string; argv: () => string[] }[] {
  const dotted = version !== '0.10.1' && version !== '0.9.8';
  const options: Record<string, string | number | boolean> = dotted
    ? { 'actor.eps_clip': 0.1, 'rollout.temperature': 0.7, 'ds.zero_stage': 3, 'actor.gradient_checkpointing_enable': true, 'logger.wandb.project': 'ballast' }
    : { eps_clip: 0.1, temperature: 0.7, zero_stage: 3, gradient_checkpointing: true, wandb_project: 'ballast' };
  const minimal: TrainingSpecInput = { ...MINIMAL, dataset: OPENRLHF_SPEC.dataset, reward: OPENRLHF_SPEC.reward, batchSize: 8 };
  return [
    { name: 'grpo, every optional field', argv: () => renderOpenRlhf(OPENRLHF_SPEC, { version }).argv },
    { name: 'grpo, only the required fields', argv: () => renderOpenRlhf(minimal, { version }).argv },
    { name: 'grpo, KL off', argv: () => renderOpenRlhf({ ...OPENRLHF_SPEC, klCoef: 0 }, { version }).argv },
    { name: 'ppo, multi-node', argv: () => renderOpenRlhf({ ...OPENRLHF_SPEC, algorithm: 'ppo', groupSize: undefined, klCoef: 0.01, nodes: 2 }, { version, rayAddress: '10.0.0.1:6379' }).argv },
    { name: 'reinforce', argv: () => renderOpenRlhf({ ...OPENRLHF_SPEC, algorithm: 'reinforce', klCoef: 0.01 }, { version }).argv },
    { name: 'options', argv: () => renderOpenRlhf({ ...OPENRLHF_SPEC, options }, { version }).argv },
    { name: 'resume', argv: () => [...renderOpenRlhf(OPENRLHF_SPEC, { version }).argv, ...openRlhfResumeArgs(version)] },
  ];
}

// --- running the check ---

let env: ReleaseCheckEnv;
let composed: Composed;
let openrlhf: Record<string, FlagFile>;
let merger: FlagFile;

void describe('rendered launches against the pinned releases', { timeout: 600_000 }, () => {
  before(
    async () => {
      const setup = (await import(pathToFileURL(join(RELEASE_CHECK_DIR, 'setup.mjs')).href)) as SetupModule;
      env = await setup.ensureReleaseCheckEnv(TOOLS_DIR);
      const cases = [
        ...VERL_CASES.map((c) => ({ name: c.name, overrides: c.argv().slice(3) })),
        ...VERL_GOLDENS.map((c) => ({ name: `golden ${c.name}`, overrides: c.render().argv.slice(3) })),
        { name: 'made-up override', overrides: [...renderVerl(BASE_SPEC).argv.slice(3), `${MADE_UP_VERL_KEY}=3`] },
        { name: 'made-up option', overrides: renderVerl({ ...BASE_SPEC, options: { [MADE_UP_VERL_KEY]: 3 } }).argv.slice(3) },
      ];
      composed = JSON.parse(await runPython(env.python, 'compose_verl.py', [], JSON.stringify({ cases }))) as Composed;
      const wheels = env.wheels.filter((w) => w.name === 'openrlhf').map((w) => w.path);
      openrlhf = JSON.parse(await runPython(env.python, 'openrlhf_flags.py', wheels, '')) as Record<string, FlagFile>;
      const mergerFile = join(composed.verl.packageDir, 'model_merger', 'base_model_merger.py');
      merger = JSON.parse(await runPython(env.python, 'argparse_flags.py', ['--file', mergerFile], '')) as FlagFile;
    },
    { timeout: 540_000 },
  );

  test(`verl ${PINNED.verl}: main_ppo composes ppo_trainer from the wheel's own config`, () => {
    assert.equal(composed.verl.version, PINNED.verl);
    assert.equal(composed.verl.configName, 'ppo_trainer');
    assert.ok(existsSync(join(composed.verl.packageDir, 'trainer', 'main_ppo.py')), 'verl.trainer.main_ppo exists in the wheel');
    assert.ok(existsSync(join(composed.verl.configDir, 'ppo_trainer.yaml')), `awaited ${composed.verl.configDir}/ppo_trainer.yaml`);
  });

  for (const c of VERL_CASES) {
    test(`verl ${PINNED.verl}: ${c.name}: every override composes with the type it was rendered as`, () => {
      const result = composed.cases.find((r) => r.name === c.name);
      assert.ok(result !== undefined, `compose_verl.py reported no case '${c.name}'`);
      assert.deepEqual(verlProblems(c.argv().slice(3), result), []);
    });
  }

  for (const c of VERL_GOLDENS) {
    test(`verl ${PINNED.verl}: golden ${c.name} composes`, () => {
      const result = composed.cases.find((r) => r.name === `golden ${c.name}`);
      assert.ok(result !== undefined, `compose_verl.py reported no case 'golden ${c.name}'`);
      assert.deepEqual(verlProblems(c.render().argv.slice(3), result), []);
    });
  }

  test(`verl ${PINNED.verl}: typed values come out as verl reads them`, () => {
    const result = composed.cases.find((r) => r.name === 'grpo, every optional field');
    assert.ok(result?.ok === true, 'the full GRPO render composes');
    const v = (key: string) => result.values[key];
    assert.deepEqual(v('data.seed'), { value: 17, type: 'int', defaultType: 'NoneType' });
    assert.deepEqual(v('trainer.save_freq'), { value: 50, type: 'int', defaultType: 'int' });
    assert.deepEqual(v('actor_rollout_ref.actor.optim.lr'), { value: 1e-6, type: 'float', defaultType: 'float' });
    assert.deepEqual(v('actor_rollout_ref.actor.use_kl_loss'), { value: true, type: 'bool', defaultType: 'bool' });
    assert.deepEqual(v('data.train_files')?.value, [...BASE_SPEC.dataset.paths]);
    assert.deepEqual(v('reward.custom_reward_function.path'), { value: BASE_SPEC.reward.path, type: 'str', defaultType: 'NoneType' });
    assert.deepEqual(v('trainer.resume_mode'), { value: 'disable', type: 'str', defaultType: 'str' });
  });

  test(`verl ${PINNED.verl}: the resume overrides switch verl to resume_path at the checkpoint`, () => {
    const result = composed.cases.find((r) => r.name === 'resume');
    assert.ok(result?.ok === true, 'the resume render composes');
    assert.equal(result.values['trainer.resume_mode']?.value, 'resume_path');
    assert.equal(result.values['trainer.resume_from_path']?.value, CKPT);
  });

  test(`verl ${PINNED.verl}: the check fails on an override or option the release does not know`, () => {
    for (const name of ['made-up override', 'made-up option']) {
      const result = composed.cases.find((r) => r.name === name);
      assert.ok(result !== undefined && !result.ok, `${name}: Hydra must refuse ${MADE_UP_VERL_KEY}`);
      assert.equal(result.key, MADE_UP_VERL_KEY, result.error);
      assert.match(result.error, /Could not override/);
    }
  });

  test(`verl ${PINNED.verl}: the model merger command names a module and flags the release has`, () => {
    assert.ok(existsSync(join(composed.verl.packageDir, 'model_merger', '__main__.py')), 'python -m verl.model_merger is runnable');
    assert.deepEqual(merger.unresolved, []);
    const argv = verlMergeCommand({ python: '/envs/verl/bin/python', actorDir: verlActorCheckpointDir(CKPT), targetDir: '/runs/hf/step-50' });
    assert.deepEqual(argv.slice(0, 4), ['/envs/verl/bin/python', '-m', 'verl.model_merger', 'merge']);
    const merge = merger.subcommands['merge'];
    assert.ok(merge !== undefined, 'the merger has a merge subcommand');
    const parsers = new Set([merge.parser, ...merge.parents]);
    const flags = merger.flags.filter((f) => parsers.has(f.parser));
    assert.deepEqual(argvProblems(argv.slice(4), flags, 'verl.model_merger merge'), []);
  });

  test('OpenRLHF: every release checked was read completely from its wheel', () => {
    assert.deepEqual(Object.keys(openrlhf).sort(), [...OPENRLHF_VERSIONS].sort());
    for (const [version, file] of Object.entries(openrlhf)) {
      assert.equal(file.release?.version, version);
      assert.deepEqual(file.unresolved, [], `OpenRLHF ${version}: add_argument calls whose flags could not be read`);
      assert.ok(file.flags.length > 100, `OpenRLHF ${version}: only ${file.flags.length} flags read`);
    }
  });

  for (const version of OPENRLHF_VERSIONS) {
    for (const c of openRlhfCases(version)) {
      const label = version === PINNED.openrlhf ? `OpenRLHF ${version} (pinned)` : `OpenRLHF ${version}`;
      test(`${label}: ${c.name}: every flag exists and values match its type`, () => {
        assert.deepEqual(openRlhfProblems(c.argv(), openrlhf[version]!), []);
      });
    }
  }

  for (const c of OPENRLHF_GOLDENS) {
    test(`OpenRLHF ${c.versions.join(' and ')}: golden ${c.name}: every flag exists`, () => {
      const argv = c.render().argv;
      for (const version of c.versions) assert.deepEqual(openRlhfProblems(argv, openrlhf[version]!, argv[0]), [], `OpenRLHF ${version}`);
    });
  }

  test(`OpenRLHF ${PINNED.openrlhf}: python, REINFORCE++, HF copies and resume are the release's own names`, () => {
    const file = openrlhf[PINNED.openrlhf]!;
    const argv = renderOpenRlhf({ ...OPENRLHF_SPEC, algorithm: 'reinforce', python: '/envs/orl/bin/python' }, { version: PINNED.openrlhf }).argv;
    assert.deepEqual(openRlhfProblems(argv, file, '/envs/orl/bin/python'), []);
    assert.equal(argv[argv.indexOf('--algo.advantage.estimator') + 1], 'reinforce');
    const byName = new Map(file.flags.map((f) => [f.flag, f]));
    assert.equal(byName.get('--ckpt.save_hf')?.action, 'store_true');
    assert.equal(byName.get('--ckpt.load_enable')?.action, 'store_true');
    assert.ok(argv.includes('--ckpt.save_hf'));
  });

  test(`OpenRLHF ${PINNED.openrlhf}: the check fails on a flag the release does not know, and on the other dialect`, () => {
    const file = openrlhf[PINNED.openrlhf]!;
    const madeUp = renderOpenRlhf({ ...OPENRLHF_SPEC, options: { 'actor.made_up_flag': 1 } }, { version: PINNED.openrlhf }).argv;
    const problems = openRlhfProblems(madeUp, file);
    assert.equal(problems.length, 2, problems.join('\n'));
    assert.match(problems[0]!, /^--actor\.made_up_flag is not defined by OpenRLHF 0\.11\.2/);
    assert.match(problems[1]!, /^'1' follows no flag that takes a value/);
    const legacy = renderOpenRlhf(OPENRLHF_SPEC, { version: '0.10.1' }).argv;
    assert.ok(openRlhfProblems(legacy, file).some((p) => p.startsWith('--pretrain is not defined')), 'legacy flags are unknown to 0.11.2');
  });

  test('setup is idempotent: a second call finds the environment in place and installs nothing', async () => {
    const setup = (await import(pathToFileURL(join(RELEASE_CHECK_DIR, 'setup.mjs')).href)) as SetupModule;
    const again = await setup.ensureReleaseCheckEnv(TOOLS_DIR);
    assert.equal(again.installed, false);
    assert.equal(again.python, env.python);
  });
});
