import { parsePythonDict } from './python-literal.js';

/** The framework-neutral metric names every runner reports, besides the framework's own. */
export const CANONICAL_METRICS = ['reward', 'reward_std', 'kl', 'loss', 'entropy', 'response_length', 'step_time', 'learning_rate', 'grad_norm'] as const;
export type CanonicalMetric = (typeof CANONICAL_METRICS)[number];

/** Where TRL's GRPO trainer logs each canonical metric (`kl` only when beta > 0). */
export const TRL_METRIC_NAMES: Readonly<Record<CanonicalMetric, string>> = {
  reward: 'reward',
  reward_std: 'reward_std',
  kl: 'kl',
  loss: 'loss',
  entropy: 'entropy',
  response_length: 'completions/mean_length',
  step_time: 'step_time',
  learning_rate: 'learning_rate',
  grad_norm: 'grad_norm',
};

/** One line of framework output, as the runner reads it. */
export type FrameworkLogLine =
  /** A logged training step: the framework's numeric metrics under their own names, plus the canonical ones. */
  | { readonly kind: 'step'; readonly metrics: Record<string, number> }
  /** The end-of-training summary (`train_runtime`, …): not a step. */
  | { readonly kind: 'summary'; readonly metrics: Record<string, number> };

const NUMERIC_TEXT = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

/**
 * Reads one line of TRL's stdout. The Trainer's progress callback prints every logged step as a Python
 * dict whose float values are strings formatted `.4g` (`{'loss': '0.0123', 'reward': '0.5', …}`), and
 * at the end a summary dict with `train_runtime`. Values that are not finite numbers (`'nan'`, text)
 * are left out: the contract's metrics are numbers. Any other line answers null.
 */
export function parseTrlLogLine(line: string): FrameworkLogLine | null {
  // tqdm redraws with carriage returns; a dict printed after a redraw is the text after the last one.
  const whole = line.replace(/\r+$/, '');
  const text = whole.slice(whole.lastIndexOf('\r') + 1).trim();
  if (!text.startsWith('{') || !text.endsWith('}')) return null;
  const dict = parsePythonDict(text);
  if (dict === null) return null;
  const metrics: Record<string, number> = {};
  for (const [key, value] of dict) {
    const n = typeof value === 'number' ? value : typeof value === 'string' && NUMERIC_TEXT.test(value.trim()) ? Number(value) : Number.NaN;
    if (Number.isFinite(n)) metrics[key] = n;
  }
  if (dict.has('train_runtime')) return { kind: 'summary', metrics };
  if (!dict.has('loss') && !dict.has('reward')) return null;
  for (const name of CANONICAL_METRICS) {
    const value = metrics[TRL_METRIC_NAMES[name]];
    if (value !== undefined) metrics[name] = value;
  }
  return { kind: 'step', metrics };
}
