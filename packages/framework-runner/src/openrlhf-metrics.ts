import { addCanonicalMetrics, type CanonicalSources, type FrameworkLogLine } from './metrics.js';
import { parsePythonDict } from './python-literal.js';

/**
 * Where OpenRLHF's PPO trainer (0.9.8 to 0.11.2) logs each canonical metric in its per-step status.
 * `rollout/*` are computed over the whole rollout batch before dynamic batching (the bare `reward` and
 * `response_length` are averaged over the training micro-batches); `policy_loss` is the actor's loss
 * without the KL and entropy terms (the sum is not logged); `entropy_loss` is the mean token entropy,
 * logged only with `--actor.entropy_coef`; `kl` only when a KL to the reference is computed.
 */
export const OPENRLHF_METRIC_SOURCES: CanonicalSources = {
  reward: ['rollout/reward_mean', 'reward'],
  reward_std: ['rollout/reward_std'],
  kl: ['kl'],
  loss: ['policy_loss'],
  entropy: ['entropy_loss'],
  response_length: ['rollout/response_length_mean', 'response_length'],
  step_time: ['timing/step_total'],
  learning_rate: ['actor_lr'],
  grad_norm: ['actor_grad_norm'],
  // OpenRLHF logs no token count: left out rather than summed from sampled log lines.
  tokens_seen: [],
};

// Ray colours the `(PPOTrainer pid=…)` prefix it puts before each forwarded line.
const ANSI_ESCAPE = /\x1b\[[0-9;]*[A-Za-z]/g;
const STATUS_LINE = /\bGlobal step ([0-9]+): (\{.*\})\s*$/;

/**
 * Reads one line of OpenRLHF's stdout. Its PPO trainer (a Ray actor: Ray forwards the line to the
 * driver's stdout behind a `(PPOTrainer pid=N)` prefix) logs after each step, at INFO on stdout and
 * with no flag needed: `INFO <date> ppo_trainer.py:551] ✨ Global step N: {…}` (the async trainer
 * without the ✨), where the dict is the step's status as Python prints it, all floats. N is the step
 * just finished, as in the `global_stepN` checkpoint tags. A status line whose dict cannot be read is
 * unreadable; any other line answers null.
 */
export function parseOpenRlhfLogLine(line: string): FrameworkLogLine | null {
  const whole = line.replace(/\r+$/, '').replace(ANSI_ESCAPE, '');
  const match = STATUS_LINE.exec(whole.slice(whole.lastIndexOf('\r') + 1));
  if (match === null) return null;
  const step = Number(match[1]);
  const dict = parsePythonDict(match[2]!);
  if (dict === null || !Number.isSafeInteger(step)) return { kind: 'unreadable', reason: 'a "Global step N:" line whose status is not a flat Python dict' };
  const metrics: Record<string, number> = {};
  for (const [key, value] of dict) {
    if (typeof value === 'number' && Number.isFinite(value)) metrics[key] = value;
  }
  return { kind: 'step', step, metrics: addCanonicalMetrics(metrics, OPENRLHF_METRIC_SOURCES) };
}
