import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { ExperimentSpec, resolveExperimentSpec, type ResolvedExperimentSpec, type RuntimeEnvironment } from '@ballast/schema';
import { checkRealModelLaunch, type EnvironmentProblem, type RealModelLaunchContext } from './real-model-launch.js';

/** A FAKE environment probe: answers from a table instead of running Python (the real probe is @ballast/ml-env's). */
function fakeProbe(packages: Record<string, string>): RealModelLaunchContext['probe'] {
  return async ({ name, python, require }) => {
    for (const r of require) {
      if (!(r.dist in packages)) throw { code: 'ML_ENV_PACKAGE_MISSING', message: `${r.dist} is not installed in '${name}'` } satisfies EnvironmentProblem;
      if (r.version && !packages[r.dist]!.startsWith(r.version)) {
        throw { code: 'ML_ENV_VERSION_MISMATCH', message: `${r.dist} ${packages[r.dist]} is installed, ${r.version} was asked for` } satisfies EnvironmentProblem;
      }
    }
    return { name, python, pythonVersion: '3.11.7', packages } satisfies RuntimeEnvironment;
  };
}

describe('launch checks of real-model specs', { timeout: 30_000 }, () => {
  let root: string;
  let outside: string;
  let ctx: RealModelLaunchContext;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'ballast-ml-roots-'));
    outside = await mkdtemp(join(tmpdir(), 'ballast-ml-outside-'));
    await mkdir(join(root, 'model'));
    await writeFile(join(root, 'model', 'config.json'), '{}');
    await writeFile(join(root, 'reward.py'), 'def reward(completions, **kw):\n    return [0.0 for _ in completions]\n');
    await mkdir(join(outside, 'model'));
    await writeFile(join(outside, 'model', 'config.json'), '{}');
    await symlink(join(outside, 'model'), join(root, 'sneaky-model'));
    ctx = {
      pythonFor: (env) => (env === 'default' ? '/opt/venv/bin/python' : null),
      commandNames: ['team-trainer'],
      roots: [root],
      rootsSetting: 'ml.allowedRoots',
      probe: fakeProbe({ trl: '1.16.0', transformers: '5.25.0', torch: '2.15.0', accelerate: '1.16.0', openrlhf: '0.11.2' }),
      harnessRequirements: { inspect: [{ dist: 'inspect-ai', module: 'inspect_ai' }], 'lm-eval': [{ dist: 'lm-eval', module: 'lm_eval' }] },
      frameworkRequirements: {
        trl: [{ dist: 'trl', module: 'trl' }, { dist: 'torch', module: 'torch' }],
        verl: [{ dist: 'verl', module: 'verl' }],
        openrlhf: [{ dist: 'openrlhf', module: 'openrlhf' }],
      },
    };
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  function spec(trainer: Record<string, unknown>, extra: { baseCheckpoint?: string; gpus?: number } = {}): ResolvedExperimentSpec {
    return resolveExperimentSpec(
      ExperimentSpec.parse({
        apiVersion: 'ballast.dev/v1alpha1',
        kind: 'Experiment',
        metadata: { name: 'real' },
        spec: {
          baseCheckpoint: extra.baseCheckpoint ?? pathToFileURL(join(root, 'model')).href,
          datasets: { regular: { uri: 'reference://regular' } },
          trainer: { ...(trainer["framework"] === "command" ? {} : { reward: { path: pathToFileURL(join(root, "reward.py")).href, name: "reward" } }), steps: 8, saveEvery: 4, ...trainer },
          backend: { kind: 'local', resources: { gpus: extra.gpus ?? 0 } },
          arms: [{ name: 'a', mix: { components: [{ dataset: 'regular', fraction: 1 }] } }],
        },
      }),
    );
  }
  const paths = (r: { issues: { path: string }[] }) => r.issues.map((i) => i.path).sort();

  it('accepts a TRL spec, storing the real paths it resolved and the version the environment holds', async () => {
    const r = await checkRealModelLaunch(ctx, spec({ framework: 'trl' }));
    assert.deepEqual(r.issues, []);
    assert.equal(r.resolved.spec.baseCheckpoint, pathToFileURL(join(root, 'model')).href);
    assert.equal((r.resolved.spec.trainer as { version?: string }).version, '1.16.0');
  });

  it('refuses a model outside the allowed roots, also through a symlink inside them', async () => {
    const direct = await checkRealModelLaunch(ctx, spec({ framework: 'trl' }, { baseCheckpoint: pathToFileURL(join(outside, 'model')).href }));
    assert.deepEqual(paths(direct), ['spec.spec.baseCheckpoint']);
    assert.match(direct.issues[0]!.message, /ml\.allowedRoots/);
    const linked = await checkRealModelLaunch(ctx, spec({ framework: 'trl' }, { baseCheckpoint: pathToFileURL(join(root, 'sneaky-model')).href }));
    assert.deepEqual(paths(linked), ['spec.spec.baseCheckpoint']);
  });

  it('refuses an unconfigured environment, a missing framework and a version the environment does not hold', async () => {
    assert.deepEqual(paths(await checkRealModelLaunch(ctx, spec({ framework: 'trl', environment: 'gpu-cluster' }))), ['spec.spec.trainer.environment']);
    const verl = await checkRealModelLaunch(ctx, spec({ framework: 'verl' }, { gpus: 1 }));
    assert.deepEqual(paths(verl), ['spec.spec.trainer.environment']);
    assert.match(verl.issues[0]!.message, /verl is not installed/);
    assert.deepEqual(paths(await checkRealModelLaunch(ctx, spec({ framework: 'trl', version: '1.15.0' }))), ['spec.spec.trainer.version']);
  });

  it('refuses what the framework cannot render, at the field of the experiment spec', async () => {
    assert.deepEqual(paths(await checkRealModelLaunch(ctx, spec({ framework: 'trl', maxPromptLength: 64 }))), ['spec.spec.trainer.maxPromptLength']);
    assert.deepEqual(paths(await checkRealModelLaunch(ctx, spec({ framework: 'trl', options: { save_total_limit: 1 } }))), ['spec.spec.trainer.options.save_total_limit']);
    assert.deepEqual(paths(await checkRealModelLaunch(ctx, spec({ framework: 'trl', algorithm: 'ppo' }))), ['spec.spec.trainer.algorithm']);
    // OpenRLHF needs GPUs; the environment has it, so the render is what refuses.
    assert.deepEqual(paths(await checkRealModelLaunch(ctx, spec({ framework: 'openrlhf' }))), ['spec.spec.backend.resources.gpus']);
  });

  it('refuses a command that is not configured, and needs no environment for one that is', async () => {
    assert.deepEqual(paths(await checkRealModelLaunch(ctx, spec({ framework: 'command', command: 'rm-rf' }))), ['spec.spec.trainer.command']);
    assert.deepEqual(paths(await checkRealModelLaunch(ctx, spec({ framework: 'command', command: 'team-trainer' }))), []);
    const outsideModel = pathToFileURL(join(outside, 'model')).href;
    assert.deepEqual(paths(await checkRealModelLaunch(ctx, spec({ framework: 'command', command: 'team-trainer' }, { baseCheckpoint: outsideModel }))), ['spec.spec.baseCheckpoint']);
  });

  it('refuses an evaluation environment without the harnesses the benchmarks need', async () => {
    // The fake environment has neither inspect-ai nor lm-eval.
    const r = await checkRealModelLaunch(ctx, spec({ framework: 'trl' }), ['inspect']);
    assert.deepEqual(paths(r), ['spec.spec.evaluation.environment']);
    assert.match(r.issues[0]!.message, /inspect-ai is not installed/);
  });
});
