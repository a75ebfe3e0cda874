import { isAbsolute, resolve } from 'node:path';
import type { FrameworkTrainJobSpec } from '@ballast/schema';
import { addCanonicalMetrics, type CanonicalSources, type FrameworkLogLine } from './metrics.js';

/** The variable verl's file logger (`trainer.logger` with `file`) takes its output path from. */
export const VERL_FILE_LOGGER_VAR = 'VERL_FILE_LOGGER_PATH';

/**
 * Where verl 0.9's PPO trainer logs each canonical metric. The driver logs one dict per step (V1 and
 * legacy trainers alike): `critic/score/mean` is the reward function's sequence score before any KL
 * penalty (`critic/rewards/mean` is after it), the actor's worker metrics are prefixed `actor/`
 * (`loss` is the whole policy loss, KL and entropy terms included), `actor/entropy` comes from the
 * old-log-prob pass, and the KL to the reference is `actor/kl_loss` when it is in the loss (GRPO) or
 * `actor/reward_kl_penalty` when it is in the reward (PPO, REINFORCE++). verl logs no std of the score.
 */
export const VERL_METRIC_SOURCES: CanonicalSources = {
  reward: ['critic/score/mean'],
  reward_std: [],
  kl: ['actor/kl_loss', 'actor/reward_kl_penalty'],
  loss: ['actor/loss'],
  entropy: ['actor/entropy'],
  response_length: ['response_length/mean'],
  step_time: ['timing_s/step'],
  learning_rate: ['actor/lr'],
  grad_norm: ['actor/grad_norm'],
  // verl logs tokens per step (`perf/total_num_tokens`), not a running total: left out rather than summed from sampled log lines.
  tokens_seen: [],
};

/** The file a verl launch's file logger writes, resolved against the launch's working directory; null when the launch names none. */
export function verlMetricsFilePath(spec: FrameworkTrainJobSpec): string | null {
  const path = spec.launch.env[VERL_FILE_LOGGER_VAR];
  if (path === undefined || path === '') return null;
  return isAbsolute(path) ? path : resolve(spec.launch.cwd, path);
}

/**
 * Reads one line of verl's metrics file. Its file logger writes `orjson.dumps({"step": N, "data":
 * metrics})` and a newline per logged step; orjson writes NaN and infinities as `null`, and the
 * values that are not finite numbers (null, lists, text) are left out. A blank line answers null; a
 * line of another shape is unreadable.
 */
export function parseVerlMetricsLine(line: string): FrameworkLogLine | null {
  const text = line.trim();
  if (text === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'unreadable', reason: 'not JSON' };
  }
  if (!isObject(value) || !isObject(value['data'])) return { kind: 'unreadable', reason: 'not an object {"step": N, "data": {...}}' };
  const step = value['step'];
  if (typeof step !== 'number' || !Number.isSafeInteger(step) || step < 0) return { kind: 'unreadable', reason: '"step" is not a non-negative integer' };
  const metrics: Record<string, number> = {};
  for (const [key, v] of Object.entries(value['data'])) {
    if (typeof v === 'number' && Number.isFinite(v)) metrics[key] = v;
  }
  return { kind: 'step', step, metrics: addCanonicalMetrics(metrics, VERL_METRIC_SOURCES) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
