import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FRAMEWORK_ADAPTERS } from './adapters.js';
import { CANONICAL_METRICS } from './metrics.js';
import { parseOpenRlhfLogLine } from './openrlhf-metrics.js';

/**
 * Hand-written lines in the format OpenRLHF 0.11.2 prints on stdout (openrlhf/utils/logging_utils.py's
 * format `%(levelname)s %(asctime)s %(filename)s:%(lineno)d] %(message)s`, the message from
 * openrlhf/trainer/ppo_trainer.py `logger.info(f"✨ Global step {global_step}: {log_status}")`), as Ray
 * forwards them from the PPOTrainer actor to the driver: behind a coloured `(PPOTrainer pid=N)` prefix.
 * The keys are the trainer's; the values are made up, not a real run's (OpenRLHF cannot install here).
 */
const ESC = '\u001b';
const STATUS =
  "{'policy_loss': -0.0153, 'actor_lr': 1e-06, 'actor_grad_norm': 0.512, 'reward': 0.2, 'return': 0.2, 'response_length': 90.5, " +
  "'total_length': 131.0, 'kl': 0.0011, 'logprobs_diff': 0.0, 'timing/make_experience': 3.21, 'timing/ppo_train': 4.07, " +
  "'timing/broadcast': 0.93, 'rollout/reward_mean': 0.25, 'rollout/reward_std': 0.4330127018922193, 'rollout/response_length_mean': 88.0, " +
  "'rollout/truncated_rate': 0.125, 'rollout/num_samples': 16.0, 'timing/generation': 5.02, 'timing/step_total': 13.23}";
const STEP_LINE = `${ESC}[36m(PPOTrainer pid=48213)${ESC}[0m INFO 12-04 16:01:09 ppo_trainer.py:551] ✨ Global step 3: ${STATUS}`;

describe('parseOpenRlhfLogLine', { timeout: 10_000 }, () => {
  it("reads a step's status behind Ray's prefix: the step, every number, and the canonical names", () => {
    const parsed = parseOpenRlhfLogLine(STEP_LINE);
    assert.ok(parsed?.kind === 'step', 'a step');
    assert.equal(parsed.step, 3);
    const m = parsed.metrics;
    assert.deepEqual(Object.fromEntries(CANONICAL_METRICS.filter((n) => n !== 'entropy' && n !== 'tokens_seen').map((n) => [n, m[n]])), {
      reward: 0.25, // rollout/reward_mean, over the whole rollout batch
      reward_std: 0.4330127018922193,
      kl: 0.0011,
      loss: -0.0153, // policy_loss
      response_length: 88.0,
      step_time: 13.23,
      learning_rate: 1e-6,
      grad_norm: 0.512,
    });
    assert.equal(m['entropy'], undefined, 'entropy_loss is only logged with --actor.entropy_coef');
    assert.equal(m['timing/ppo_train'], 4.07);
    assert.equal(m['reward'], 0.25, 'the canonical reward replaces the micro-batch average under the same name');
  });

  it('reads the async trainer, a remote node, an uncoloured prefix and a bare line alike', () => {
    const withEntropy = STATUS.replace('{', "{'entropy_loss': 2.1, ");
    for (const line of [
      `(PPOTrainer pid=9, ip=10.0.0.2) INFO 12-04 16:01:09 ppo_trainer_async.py:244] Global step 7: ${withEntropy}`,
      `INFO 12-04 16:01:09 ppo_trainer.py:551] ✨ Global step 7: ${withEntropy}\r`,
    ]) {
      const parsed = parseOpenRlhfLogLine(line);
      assert.ok(parsed?.kind === 'step', line);
      assert.equal(parsed.step, 7);
      assert.equal(parsed.metrics['entropy'], 2.1);
    }
  });

  it('leaves out values that are not finite numbers', () => {
    const parsed = parseOpenRlhfLogLine("Global step 1: {'policy_loss': nan, 'kl': 0.5, 'dynamic_filtering_pass_rate': None, 'note': 'x'}");
    assert.deepEqual(parsed, { kind: 'step', step: 1, metrics: { kl: 0.5 } });
  });

  it('calls a status it cannot read unreadable, and ignores every other line', () => {
    const bad = parseOpenRlhfLogLine("(PPOTrainer pid=1) INFO x ppo_trainer.py:551] ✨ Global step 2: {'policy_loss': tensor(0.1)}");
    assert.equal(bad?.kind, 'unreadable');
    for (const line of [
      "(PPOTrainer pid=1) INFO 12-04 16:01:02 ppo_trainer.py:224] Sample: ['What is 2+2? 4', 1.0]",
      "(PPOTrainer pid=1) INFO 12-04 16:09:00 ppo_trainer.py:598] ✨ Evaluation completed in 0:01:02, global_step 4, eval_metrics: {'eval_reward': 0.5}",
      "(PPOTrainer pid=1) INFO 12-04 16:09:00 ppo_trainer_async.py:214] Eval at step 4: {'eval_reward': 0.5}",
      'Episode [1/1]:  40%|████      | 4/10 [00:52<01:18, 13.1s/it]',
      '',
    ]) {
      assert.equal(parseOpenRlhfLogLine(line), null, line);
    }
  });

  it("is the OpenRLHF adapter's stdout reader", () => {
    assert.equal(FRAMEWORK_ADAPTERS.openrlhf.parseLogLine(STEP_LINE)?.kind, 'step');
  });
});
