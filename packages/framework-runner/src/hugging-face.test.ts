import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CONTRACT_VERSION, type FrameworkTrainJobSpec } from '@ballast/schema';
import { RUNNER_ERROR_CODES, type FrameworkRunnerError } from './errors.js';
import { CONVERTED_HF_DIR, openRlhfToHuggingFace, verlToHuggingFace, type ConversionContext } from './hugging-face.js';
import { defaultPython } from './test-support.js';

const dirs: string[] = [];
after(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function tmp(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'runner-hf-'));
  dirs.push(dir);
  return dir;
}

function spec(nativeOutputDir: string, framework: FrameworkTrainJobSpec['framework'], python: string): FrameworkTrainJobSpec {
  return {
    contractVersion: CONTRACT_VERSION,
    kind: 'framework-train',
    framework,
    launch: { argv: ['x'], env: {}, cwd: nativeOutputDir },
    nativeOutputDir,
    steps: 20,
    saveEvery: 10,
    python,
  };
}

async function put(path: string, contents: string): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, contents);
}

describe('OpenRLHF: its Hugging Face copy, linked into the checkpoint', { timeout: 30_000 }, () => {
  it('waits until the copy is known to be whole, then hard-links it into <native>/hf', async () => {
    const out = await tmp();
    const nativePath = join(out, 'ckpt', '_actor', 'global_step10');
    await put(join(nativePath, 'mp_rank_00_model_states.pt'), 'deepspeed');
    await put(join(out, 'ckpt', 'global_step10_hf', 'config.json'), '{"model_type":"llama"}');
    await put(join(out, 'ckpt', 'global_step10_hf', 'shards', 'model.safetensors'), 'hf weights');
    const lines: string[] = [];
    const ctx = (running: boolean, later: boolean): ConversionContext => ({
      spec: spec(out, 'openrlhf', '/usr/bin/python3'),
      frameworkRunning: running,
      laterComplete: later,
      log: (l) => lines.push(l),
    });
    const checkpoint = { step: 10, nativePath };
    assert.equal(await openRlhfToHuggingFace(checkpoint, ctx(true, false)), 'wait', 'OpenRLHF may still be writing the copy');
    assert.equal(await openRlhfToHuggingFace(checkpoint, ctx(true, true)), 'ready');
    const hf = join(nativePath, CONVERTED_HF_DIR);
    assert.equal(await readFile(join(hf, 'shards', 'model.safetensors'), 'utf8'), 'hf weights');
    assert.equal((await stat(join(hf, 'config.json'))).ino, (await stat(join(out, 'ckpt', 'global_step10_hf', 'config.json'))).ino, 'linked, not copied');
    // OpenRLHF rotating its copy away leaves the committed checkpoint's model in place.
    await rm(join(out, 'ckpt', 'global_step10_hf'), { recursive: true });
    assert.equal(await openRlhfToHuggingFace(checkpoint, ctx(false, false)), 'ready');
    assert.deepEqual((await readdir(nativePath)).sort(), ['hf', 'mp_rank_00_model_states.pt']);
  });

  it('fails naming the missing copy once the framework has exited', async () => {
    const out = await tmp();
    const nativePath = join(out, 'ckpt', '_actor', 'global_step10');
    await put(join(nativePath, 'mp_rank_00_model_states.pt'), 'deepspeed');
    await assert.rejects(
      openRlhfToHuggingFace({ step: 10, nativePath }, { spec: spec(out, 'openrlhf', '/usr/bin/python3'), frameworkRunning: false, laterComplete: false, log: () => undefined }),
      (err: FrameworkRunnerError) => err.code === RUNNER_ERROR_CODES.conversionFailed && /no Hugging Face copy at .*global_step10_hf/.test(err.message),
    );
  });
});

/**
 * A SIMULATED `verl.model_merger` (a stand-in module, not verl's): verl needs a GPU stack to install
 * here, so this checks the runner's side only: the argv it runs and where it puts the result.
 */
async function fakeVerl(failing: boolean): Promise<string> {
  const root = await tmp();
  await put(join(root, 'verl', '__init__.py'), '');
  await put(join(root, 'verl', 'model_merger', '__init__.py'), '');
  const main = failing
    ? 'import sys\nsys.stderr.write("merge failed: bad shard\\n")\nsys.exit(3)\n'
    : [
        'import json, os, sys',
        'args = sys.argv[1:]',
        'assert args[:3] == ["merge", "--backend", "fsdp"], args',
        'local, target = args[args.index("--local_dir") + 1], args[args.index("--target_dir") + 1]',
        'os.makedirs(target)',
        'json.dump({"simulated": True, "from": sorted(os.listdir(local))}, open(os.path.join(target, "config.json"), "w"))',
        '',
      ].join('\n');
  await put(join(root, 'verl', 'model_merger', '__main__.py'), main);
  return root;
}

describe('verl: converted with its model merger', { timeout: 60_000 }, () => {
  it("runs the merger on the actor and renames its output to <native>/hf, once", async () => {
    const python = await defaultPython().catch(() => '/usr/bin/python3');
    const out = await tmp();
    const nativePath = join(out, 'global_step_10');
    await put(join(nativePath, 'actor', 'model_world_size_1_rank_0.pt'), 'fsdp');
    const lines: string[] = [];
    const ctx: ConversionContext = {
      spec: spec(out, 'verl', python),
      frameworkRunning: true,
      laterComplete: false,
      log: (l) => lines.push(l),
      env: { ...process.env, PYTHONPATH: await fakeVerl(false) },
    };
    assert.equal(await verlToHuggingFace({ step: 10, nativePath }, ctx), 'ready');
    const config = JSON.parse(await readFile(join(nativePath, 'hf', 'config.json'), 'utf8')) as { from: string[] };
    assert.deepEqual(config.from, ['model_world_size_1_rank_0.pt']);
    assert.deepEqual((await readdir(nativePath)).sort(), ['actor', 'hf'], 'no staging directory is left');
    assert.match(lines[0]!, /-m verl\.model_merger merge --backend fsdp --local_dir .*global_step_10\/actor --target_dir/);
    lines.length = 0;
    assert.equal(await verlToHuggingFace({ step: 10, nativePath }, ctx), 'ready');
    assert.deepEqual(lines, [], 'an existing conversion is not redone');
  });

  it("fails with the merger's last stderr lines", async () => {
    const python = await defaultPython().catch(() => '/usr/bin/python3');
    const out = await tmp();
    const nativePath = join(out, 'global_step_10');
    await put(join(nativePath, 'actor', 'model_world_size_1_rank_0.pt'), 'fsdp');
    const ctx: ConversionContext = {
      spec: spec(out, 'verl', python),
      frameworkRunning: true,
      laterComplete: false,
      log: () => undefined,
      env: { ...process.env, PYTHONPATH: await fakeVerl(true) },
    };
    await assert.rejects(verlToHuggingFace({ step: 10, nativePath }, ctx), (err: FrameworkRunnerError) => {
      assert.equal(err.code, RUNNER_ERROR_CODES.conversionFailed);
      assert.match(err.message, /step 10 .*exit code 3:\nmerge failed: bad shard/);
      return true;
    });
  });
});
