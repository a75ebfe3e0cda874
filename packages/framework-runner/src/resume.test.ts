import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { commitCheckpoint, ContractInputError, listCommittedCheckpoints } from '@ballast/job-contract';
import { CONTRACT_VERSION, type FrameworkTrainJobSpec } from '@ballast/schema';
import { FRAMEWORK_ADAPTERS } from './adapters.js';
import { CheckpointCommitter } from './committer.js';
import { FrameworkRunnerError, RUNNER_ERROR_CODES } from './errors.js';
import { decideResume } from './resume.js';

const dirs: string[] = [];
after(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

/** OUTPUT with a native dir laid out as TRL lays it out (hand-written files standing in for TRL's). */
async function job(framework: FrameworkTrainJobSpec['framework'] = 'trl', version?: string): Promise<{ outputDir: string; spec: FrameworkTrainJobSpec }> {
  const outputDir = await mkdtemp(join(tmpdir(), 'runner-resume-'));
  dirs.push(outputDir);
  const spec: FrameworkTrainJobSpec = {
    contractVersion: CONTRACT_VERSION,
    kind: 'framework-train',
    framework,
    ...(version ? { version } : {}),
    launch: { argv: ['python', '-m', 'trl.scripts.grpo'], env: {}, cwd: outputDir },
    nativeOutputDir: join(outputDir, 'native'),
    steps: 8,
    saveEvery: 2,
    python: '/usr/bin/python3',
  };
  return { outputDir, spec };
}

async function trlCheckpoint(spec: FrameworkTrainJobSpec, step: number, complete = true): Promise<string> {
  const dir = join(spec.nativeOutputDir, `checkpoint-${step}`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.safetensors'), `weights at ${step}`);
  const logHistory = Array.from({ length: step }, (_, i) => ({ loss: 0.1, reward: 0.5, step: i + 1 }));
  if (complete) await writeFile(join(dir, 'trainer_state.json'), JSON.stringify({ global_step: step, log_history: logHistory }));
  return dir;
}

const quiet = () => undefined;

function committer(outputDir: string, spec: FrameworkTrainJobSpec, committed: number[] = []): CheckpointCommitter {
  return new CheckpointCommitter({
    spec,
    adapter: FRAMEWORK_ADAPTERS[spec.framework],
    outputDir,
    log: quiet,
    onCommitted: async (checkpoint) => void committed.push(checkpoint.step),
  });
}

async function markers(outputDir: string): Promise<Record<number, string>> {
  const out: Record<number, string> = {};
  for (const c of await listCommittedCheckpoints(outputDir)) {
    out[c.step] = (await readFile(join(c.path, 'COMPLETE'), 'utf8')) + (await readFile(join(c.path, 'native.json'), 'utf8'));
  }
  return out;
}

describe('CheckpointCommitter', { timeout: 30_000 }, () => {
  it('commits complete native checkpoints oldest first, each once, also across attempts', async () => {
    const { outputDir, spec } = await job();
    await trlCheckpoint(spec, 4);
    await trlCheckpoint(spec, 2);
    await trlCheckpoint(spec, 6, false);
    const seen: number[] = [];
    const first = committer(outputDir, spec, seen);
    assert.deepEqual((await first.sweep(true)).map((c) => c.step), [2, 4]);
    assert.deepEqual((await first.sweep(true)).map((c) => c.step), [], 'a second sweep commits nothing');
    assert.deepEqual(seen, [2, 4]);
    assert.deepEqual([first.lastStep(), first.count()], [4, 2]);
    const before = await markers(outputDir);

    // A resumed attempt re-sees the old native checkpoints: they stay as committed, byte for byte.
    await trlCheckpoint(spec, 6);
    const resumed: number[] = [];
    const second = committer(outputDir, spec, resumed);
    assert.deepEqual((await second.sweep(true)).map((c) => c.step), [6]);
    assert.deepEqual(resumed, [6]);
    const afterwards = await markers(outputDir);
    assert.equal(afterwards[2], before[2]);
    assert.equal(afterwards[4], before[4]);
    assert.deepEqual((await listCommittedCheckpoints(outputDir)).map((c) => c.step), [2, 4, 6]);
  });
});

describe('decideResume', { timeout: 30_000 }, () => {
  it('auto: starts fresh without checkpoints, else commits what an earlier attempt left complete and takes the latest', async () => {
    const { outputDir, spec } = await job();
    const c = committer(outputDir, spec);
    assert.equal(await decideResume({ resumeFrom: 'auto', outputDir, spec, sweep: () => c.sweep(false) }), null);

    await trlCheckpoint(spec, 2);
    await c.sweep(false);
    // The earlier attempt's framework finished step 4 after its runner was killed: committed before resuming.
    const four = await trlCheckpoint(spec, 4);
    await trlCheckpoint(spec, 6, false);
    const point = await decideResume({ resumeFrom: 'auto', outputDir, spec, sweep: () => c.sweep(false) });
    assert.equal(point?.step, 4);
    assert.equal(point.reference.nativePath, four);
    assert.deepEqual(FRAMEWORK_ADAPTERS.trl.resumeArgs(point.reference, spec, 'spec.json'), ['--resume_from_checkpoint', four]);
  });

  it('refuses to train on top of a native checkpoint that changed since it was committed', async () => {
    const { outputDir, spec } = await job();
    const dir = await trlCheckpoint(spec, 2);
    const c = committer(outputDir, spec);
    await c.sweep(false);
    await writeFile(join(dir, 'model.safetensors'), 'other weights');
    await assert.rejects(decideResume({ resumeFrom: 'auto', outputDir, spec, sweep: () => c.sweep(false) }), (err: FrameworkRunnerError) => {
      assert.equal(err.code, RUNNER_ERROR_CODES.nativeChanged);
      assert.match(err.message, /step 2: its native checkpoint .* changed[\s\S]*model\.safetensors: changed/);
      return true;
    });
  });

  it('an explicit path must be the latest committed checkpoint of this OUTPUT', async () => {
    const { outputDir, spec } = await job();
    await trlCheckpoint(spec, 2);
    await trlCheckpoint(spec, 4);
    const c = committer(outputDir, spec);
    const sweep = () => c.sweep(false);
    const latest = join(outputDir, 'checkpoints', 'step-4');
    assert.equal((await decideResume({ resumeFrom: `${latest}/`, outputDir, spec, sweep }))?.step, 4);

    const refused = (pattern: RegExp) => (err: ContractInputError) => {
      assert.ok(err instanceof ContractInputError);
      assert.equal(err.source, 'BALLAST_RESUME_FROM');
      assert.match(err.message, pattern);
      return true;
    };
    await assert.rejects(decideResume({ resumeFrom: join(outputDir, 'checkpoints', 'step-2'), outputDir, spec, sweep }), refused(/is step 2, but step 4 is committed after it/));
    await assert.rejects(decideResume({ resumeFrom: join(spec.nativeOutputDir, 'checkpoint-4'), outputDir, spec, sweep }), refused(/is not a committed checkpoint of this job's OUTPUT/));
    await assert.rejects(decideResume({ resumeFrom: '/elsewhere/step-4', outputDir, spec, sweep }), refused(/is not a committed checkpoint/));
  });

  it('a fresh start is refused where it would overwrite checkpoints', async () => {
    const empty = await job();
    assert.equal(await decideResume({ resumeFrom: null, ...empty, sweep: async () => assert.fail('a fresh start sweeps nothing') }), null);

    const native = await job();
    await trlCheckpoint(native.spec, 2);
    await assert.rejects(decideResume({ resumeFrom: null, ...native, sweep: async () => [] }), /is empty \(start fresh\), but .*native already holds complete checkpoints of an earlier run \(steps 2\)/);

    const committedOnly = await job();
    await commitCheckpoint(committedOnly.outputDir, 3, async (dir) => writeFile(join(dir, 'w'), 'x'));
    await assert.rejects(decideResume({ resumeFrom: null, ...committedOnly, sweep: async () => [] }), /OUTPUT already holds committed checkpoints \(steps 3\)/);
  });

  it('needs the checkpoint to stand for a native checkpoint of this framework', async () => {
    const { outputDir, spec } = await job();
    await commitCheckpoint(outputDir, 3, async (dir) => writeFile(join(dir, 'weights'), 'x'));
    await assert.rejects(decideResume({ resumeFrom: 'auto', outputDir, spec, sweep: async () => [] }), (err: FrameworkRunnerError) => {
      assert.equal(err.code, RUNNER_ERROR_CODES.nativeReferenceMissing);
      assert.match(err.message, /step 3: .* has no valid native\.json/);
      return true;
    });

    const other = await job('verl');
    await trlCheckpoint(other.spec, 2);
    await committer(other.outputDir, { ...other.spec, framework: 'trl' }).sweep(false);
    await assert.rejects(decideResume({ resumeFrom: 'auto', ...other, sweep: async () => [] }), /native checkpoint is trl's, and this job runs verl/);
  });
});

describe('resume arguments of verl and OpenRLHF', { timeout: 10_000 }, () => {
  const reference = (nativePath: string) => ({ referenceVersion: 1 as const, framework: 'verl' as const, step: 10, nativePath, files: [] });

  it('verl resumes from the checkpoint directory through its resume mode', async () => {
    const { spec } = await job('verl');
    assert.deepEqual(FRAMEWORK_ADAPTERS.verl.resumeArgs(reference('/out/native/global_step_10'), spec, 'spec.json'), [
      'trainer.resume_mode=resume_path',
      "trainer.resume_from_path='/out/native/global_step_10'",
    ]);
  });

  it('OpenRLHF needs the release version for its resume flag', async () => {
    const legacy = await job('openrlhf', '0.9.8');
    assert.deepEqual(FRAMEWORK_ADAPTERS.openrlhf.resumeArgs(reference('/x'), legacy.spec, 'spec.json'), ['--load_checkpoint']);
    const dotted = await job('openrlhf', '0.10.2');
    assert.equal(FRAMEWORK_ADAPTERS.openrlhf.resumeArgs(reference('/x'), dotted.spec, 'spec.json').length, 1);
    const none = await job('openrlhf');
    assert.throws(() => FRAMEWORK_ADAPTERS.openrlhf.resumeArgs(reference('/x'), none.spec, 'spec.json'), (err: ContractInputError) => {
      assert.ok(err instanceof ContractInputError);
      assert.deepEqual(err.issues.map((i) => i.path), ['version']);
      return true;
    });
    const unsupported = await job('openrlhf', '0.1.0');
    assert.throws(() => FRAMEWORK_ADAPTERS.openrlhf.resumeArgs(reference('/x'), unsupported.spec, 'spec.json'), ContractInputError);
  });
});
