import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspectCommand, inspectModelArgs, inspectTaskRef, LM_EVAL_LAUNCHER, lmEvalCommand, type InspectInput, type LmEvalInput } from './commands.js';
import { failureMessage, harnessEnv } from './process.js';

const RUN = {
  python: '/venv/bin/python',
  checkpointPath: '/ckpt/step-4',
  samplesPerItem: 3,
  seed: 11,
  limit: 5,
  decoding: { temperature: 0.7, maxNewTokens: 16, topP: 0.9 },
  device: 'cpu' as const,
};
const PATHS = { logDir: '/out/logs', modelConfigFile: '/out/model-args.json', registeredTaskCwd: '/out/cache' };

function inspectInput(task: string): InspectInput {
  return { ref: 'x@1', category: 'honesty', metric: 'accuracy', direction: 'higher_is_better', harness: { kind: 'inspect', task } };
}

describe('harness commands', { timeout: 10_000 }, () => {
  it('reads inspect tasks as files (path or URI, with #name) or registered names', () => {
    assert.deepEqual(inspectTaskRef('/t/a.py'), { kind: 'file', file: '/t/a.py' });
    assert.deepEqual(inspectTaskRef('/t/a.py#second'), { kind: 'file', file: '/t/a.py', name: 'second' });
    assert.deepEqual(inspectTaskRef('file:///t/my%20dir/a.py#second'), { kind: 'file', file: '/t/my dir/a.py', name: 'second' });
    assert.deepEqual(inspectTaskRef('inspect_evals/gsm8k'), { kind: 'registered', name: 'inspect_evals/gsm8k' });
  });

  it("runs an inspect task file from its directory as 'file.py@name', with the spec's seed, epochs and decoding", () => {
    const cmd = inspectCommand(inspectInput('/tasks/probe.py#probe'), RUN, PATHS);
    assert.equal(cmd.cwd, '/tasks');
    assert.deepEqual(cmd.argv, [
      '/venv/bin/python', '-m', 'inspect_ai', 'eval', 'probe.py@probe',
      '--model', 'hf/local', '--model-config', '/out/model-args.json',
      '--epochs', '3', '--seed', '11', '--temperature', '0.7', '--max-tokens', '16', '--top-p', '0.9', '--limit', '5',
      '--log-format', 'json', '--log-dir', '/out/logs', '--display', 'plain', '--ctl-server', 'false',
    ]);
    assert.deepEqual(inspectModelArgs(RUN), { model_path: '/ckpt/step-4', device: 'cpu' });
    const registered = inspectCommand(inspectInput('inspect_evals/gsm8k'), { ...RUN, limit: undefined }, PATHS);
    assert.equal(registered.cwd, '/out/cache');
    assert.equal(registered.argv[4], 'inspect_evals/gsm8k');
    assert.ok(!registered.argv.includes('--limit'));
  });

  it('turns temperature 0 into greedy decoding (the hf provider refuses temperature 0 when sampling)', () => {
    const greedy = { ...RUN, decoding: { temperature: 0, maxNewTokens: 8 } };
    const cmd = inspectCommand(inspectInput('/tasks/probe.py'), greedy, PATHS);
    assert.ok(!cmd.argv.includes('--temperature') && !cmd.argv.includes('--top-p'));
    assert.equal(cmd.argv[4], 'probe.py');
    assert.deepEqual(inspectModelArgs(greedy), { model_path: '/ckpt/step-4', device: 'cpu', do_sample: false });
  });

  it('runs lm-eval through its launcher in the include directory, with its samples logged and the decoding as gen_kwargs', () => {
    const input: LmEvalInput = {
      ref: 'y@2',
      category: 'calibration',
      metric: 'accuracy',
      direction: 'higher_is_better',
      harness: { kind: 'lm-eval', task: 'cal_mc', includePath: '/tasks/cal', metricKey: 'acc', filter: 'none' },
    };
    const cmd = lmEvalCommand(input, RUN, { outputPath: '/out/lm', registeredTaskCwd: '/out/cache' });
    assert.equal(cmd.cwd, '/tasks/cal');
    assert.deepEqual(cmd.argv, [
      '/venv/bin/python', LM_EVAL_LAUNCHER, '--model', 'hf', '--model_args', 'pretrained=/ckpt/step-4,dtype=float32', '--device', 'cpu',
      '--tasks', 'cal_mc', '--include_path', '/tasks/cal', '--output_path', '/out/lm', '--log_samples', '--seed', '11', '--limit', '5',
      '--gen_kwargs', 'temperature=0.7,do_sample=True,max_gen_toks=16,top_p=0.9',
    ]);
    const onGpu = lmEvalCommand({ ...input, harness: { ...input.harness, includePath: undefined } }, { ...RUN, device: 'cuda' }, { outputPath: '/o', registeredTaskCwd: '/c' });
    assert.equal(onGpu.cwd, '/c');
    assert.ok(onGpu.argv.includes('pretrained=/ckpt/step-4,dtype=auto') && onGpu.argv.includes('cuda') && !onGpu.argv.includes('--include_path'));
  });

  it("gives a harness a minimal offline environment with its caches and HOME inside the job's cache directory", () => {
    const env = harnessEnv({ PATH: '/usr/bin', AWS_SECRET_ACCESS_KEY: 'x', HF_TOKEN: 'y', CUDA_VISIBLE_DEVICES: '1', OMP_NUM_THREADS: '4', LANG: 'en_GB.UTF-8' }, '/venv/bin/python', '/out/harness/cache');
    assert.equal(env['AWS_SECRET_ACCESS_KEY'], undefined);
    assert.equal(env['HF_TOKEN'], undefined);
    assert.equal(env['PATH'], '/venv/bin:/usr/bin');
    assert.equal(env['HOME'], '/out/harness/cache/home');
    assert.equal(env['HF_HOME'], '/out/harness/cache/hf');
    assert.equal(env['CUDA_VISIBLE_DEVICES'], '1');
    assert.equal(env['OMP_NUM_THREADS'], '4');
    assert.equal(env['LANG'], 'en_GB.UTF-8');
    assert.equal(env['HF_HUB_OFFLINE'], '1');
    for (const [name, value] of Object.entries(env)) {
      if (/(HOME|_DIR)$/.test(name) && name !== 'HOME') assert.ok(value.startsWith('/out/harness/cache/'), `${name}=${value}`);
    }
    assert.equal(harnessEnv({}, '/p/bin/python', '/c')['OMP_NUM_THREADS'], '1');
  });

  it("quotes a failed harness's exception line, else its last lines", () => {
    assert.equal(failureMessage(['Traceback (most recent call last):', '  File "x.py", line 1', "OSError: Repo id must be in the form 'repo_name'", '']), "OSError: Repo id must be in the form 'repo_name'");
    assert.equal(failureMessage(['a', 'b', 'c']), 'a | b | c');
  });
});
