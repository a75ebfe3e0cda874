import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { CONTRACT_VERSION, type FrameworkTrainJobSpec } from '@ballast/schema';
import { FRAMEWORK_ADAPTERS } from './adapters.js';
import { parseVerlMetricsLine, verlMetricsFilePath, VERL_FILE_LOGGER_VAR } from './verl-metrics.js';

/** Hand-written fixtures in verl 0.9.1's file-logger format (see fixtures/README.md), not a real run's output. */
const VERL_FIXTURES = new URL('../fixtures/', import.meta.url);

async function fixtureLines(name: string): Promise<string[]> {
  return (await readFile(new URL(name, VERL_FIXTURES), 'utf8')).split('\n').filter((l) => l !== '');
}

describe('parseVerlMetricsLine', { timeout: 10_000 }, () => {
  it("maps a GRPO step's metrics to the canonical names, keeping verl's own (hand-written fixture)", async () => {
    const [line] = await fixtureLines('verl-grpo-steps.jsonl');
    const parsed = parseVerlMetricsLine(line!);
    assert.ok(parsed?.kind === 'step', 'a step');
    assert.equal(parsed.step, 1, "the step is verl's");
    const m = parsed.metrics;
    const canonical = Object.fromEntries(['reward', 'kl', 'loss', 'entropy', 'response_length', 'step_time', 'learning_rate', 'grad_norm'].map((n) => [n, m[n]]));
    assert.deepEqual(canonical, {
      reward: 0.25, // critic/score/mean
      kl: 0.00107, // actor/kl_loss
      loss: -0.01199, // actor/loss
      entropy: 2.3125, // actor/entropy
      response_length: 87.5, // response_length/mean
      step_time: 12.71, // timing_s/step
      learning_rate: 1e-6, // actor/lr
      grad_norm: 0.4182, // actor/grad_norm
    });
    assert.equal(m['reward_std'], undefined, 'verl logs no std of the score');
    assert.equal(m['critic/score/mean'], 0.25);
    assert.equal(m['actor/pg_loss'], -0.011991);
    assert.equal(m['training/global_step'], 1);
  });

  it('reads every fixture step, leaving out the NaN that orjson wrote as null', async () => {
    const parsed = (await fixtureLines('verl-grpo-steps.jsonl')).map(parseVerlMetricsLine);
    assert.deepEqual(
      parsed.map((p) => p?.kind === 'step' && [p.step, p.metrics['reward']]),
      [
        [1, 0.25],
        [2, 0.375],
        [3, 0.5],
      ],
    );
    const second = parsed[1]!;
    assert.ok(second.kind === 'step');
    assert.equal('response_length_non_aborted/clip_ratio' in second.metrics, false);
    assert.equal(second.metrics['response_length_non_aborted/mean'], 81.25);
  });

  it('takes the KL from the reward penalty when it is in the reward (PPO; hand-written fixture)', async () => {
    const [line] = await fixtureLines('verl-ppo-step.jsonl');
    const parsed = parseVerlMetricsLine(line!);
    assert.ok(parsed?.kind === 'step');
    assert.equal(parsed.metrics['kl'], 0.00412);
    assert.equal(parsed.metrics['reward'], 0.125, 'the score before the KL penalty, not critic/rewards/mean');
    assert.equal(parsed.metrics['critic/vf_loss'], 0.083);
  });

  it('leaves out values that are not finite numbers: null, lists, text, booleans, overflow', () => {
    const parsed = parseVerlMetricsLine('{"step":2,"data":{"a":null,"b":[1,2],"c":"x","d":true,"e":1.5,"timing_s/step":1e400}}');
    assert.deepEqual(parsed, { kind: 'step', step: 2, metrics: { e: 1.5 } });
  });

  it('answers null for a blank line and unreadable for anything not in its shape', () => {
    assert.equal(parseVerlMetricsLine(''), null);
    assert.equal(parseVerlMetricsLine('  \r'), null);
    for (const [line, reason] of [
      ['{"step":3,"data":{"actor/lo', /not JSON/],
      ['Creating file logger at /x/metrics.jsonl', /not JSON/],
      ['[1,2]', /not an object/],
      ['{"step":3,"metrics":{}}', /not an object/],
      ['{"step":3,"data":[1]}', /not an object/],
      ['{"step":-1,"data":{}}', /"step"/],
      ['{"step":1.5,"data":{}}', /"step"/],
      ['{"step":"1","data":{}}', /"step"/],
    ] as const) {
      const parsed = parseVerlMetricsLine(line);
      assert.ok(parsed?.kind === 'unreadable', `${line}: unreadable`);
      assert.match(parsed.reason, reason, line);
    }
  });
});

describe('the verl metrics file', { timeout: 10_000 }, () => {
  const spec = (env: Record<string, string>): FrameworkTrainJobSpec => ({
    contractVersion: CONTRACT_VERSION,
    kind: 'framework-train',
    framework: 'verl',
    launch: { argv: ['python3', '-m', 'verl.trainer.main_ppo'], env, cwd: '/jobs/j1' },
    nativeOutputDir: '/jobs/j1/native',
    steps: 4,
    saveEvery: 2,
    python: '/envs/verl/bin/python',
  });

  it("is the launch's VERL_FILE_LOGGER_PATH, relative to its cwd, or none", () => {
    assert.equal(verlMetricsFilePath(spec({ [VERL_FILE_LOGGER_VAR]: '/jobs/j1/native/metrics.jsonl' })), '/jobs/j1/native/metrics.jsonl');
    assert.equal(verlMetricsFilePath(spec({ [VERL_FILE_LOGGER_VAR]: 'native/metrics.jsonl' })), '/jobs/j1/native/metrics.jsonl');
    assert.equal(verlMetricsFilePath(spec({})), null);
  });

  it('is what the verl adapter follows, read with the verl parser; the other frameworks have none', async () => {
    const source = FRAMEWORK_ADAPTERS.verl.metricsFile(spec({ [VERL_FILE_LOGGER_VAR]: '/jobs/j1/native/metrics.jsonl' }));
    assert.equal(source?.path, '/jobs/j1/native/metrics.jsonl');
    const [line] = await fixtureLines('verl-grpo-steps.jsonl');
    assert.equal(source.parseLine(line!)?.kind, 'step');
    assert.equal(FRAMEWORK_ADAPTERS.verl.parseLogLine(line!), null, "verl's stdout is not read for metrics");
    assert.equal(FRAMEWORK_ADAPTERS.trl.metricsFile(spec({})), null);
    assert.equal(FRAMEWORK_ADAPTERS.openrlhf.metricsFile(spec({})), null);
  });
});
