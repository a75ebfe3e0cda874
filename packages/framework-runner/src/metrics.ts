import { parsePythonDict } from './python-literal.js';

/** The framework-neutral metric names every runner reports, besides the framework's own. */
/**
 * `tokens_seen` is cumulative (prompt and completion tokens under the model's own tokenizer): the
 * report's token compute matching reads it.
 */
export const CANONICAL_METRICS = ['reward', 'reward_std', 'kl', 'loss', 'entropy', 'response_length', 'step_time', 'learning_rate', 'grad_norm', 'tokens_seen'] as const;
export type CanonicalMetric = (typeof CANONICAL_METRICS)[number];

/**
 * Where TRL's trainers log each canonical metric: GRPO logs them all (`kl` only when beta > 0); SFT (an
 * attack) logs loss, entropy, learning_rate, grad_norm and num_tokens, and its own mean_token_accuracy.
 */
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
  // The Trainer's cumulative `state.num_input_tokens_seen`.
  tokens_seen: 'num_tokens',
};

/**
 * Where a framework logs each canonical metric: its names in order of preference (the first one a
 * step carries wins); an empty list where the framework logs no such metric.
 */
export type CanonicalSources = Readonly<Record<CanonicalMetric, readonly string[]>>;

/** One line of framework output, as the runner reads it. */
export type FrameworkLogLine =
  /**
   * A logged training step: the framework's numeric metrics under their own names, plus the canonical
   * ones, and the framework's own step number where the line states it.
   */
  | { readonly kind: 'step'; readonly metrics: Record<string, number>; readonly step?: number }
  /** The end-of-training summary (`train_runtime`, …): not a step. */
  | { readonly kind: 'summary'; readonly metrics: Record<string, number> }
  /** A line in the framework's metrics format that cannot be read: skipped with a warning, never fatal. */
  | { readonly kind: 'unreadable'; readonly reason: string };

/** Adds the canonical names to a step's metrics, each from the first of its sources the step carries. */
export function addCanonicalMetrics(metrics: Record<string, number>, sources: CanonicalSources): Record<string, number> {
  for (const name of CANONICAL_METRICS) {
    const source = sources[name].find((s) => metrics[s] !== undefined);
    if (source !== undefined) metrics[name] = metrics[source]!;
  }
  return metrics;
}

const TRL_SOURCES: CanonicalSources = (() => {
  const sources = {} as Record<CanonicalMetric, readonly string[]>;
  for (const name of CANONICAL_METRICS) sources[name] = [TRL_METRIC_NAMES[name]];
  return sources;
})();

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
  return { kind: 'step', metrics: addCanonicalMetrics(metrics, TRL_SOURCES) };
}
