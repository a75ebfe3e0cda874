import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CANONICAL_METRICS, parseTrlLogLine } from './metrics.js';
import { parsePythonDict } from './python-literal.js';

// Printed by TRL 1.16 / transformers 5.25 on stdout for one GRPO step of the tiny model (a real run).
const TRL_STEP =
  "{'loss': '0.0123', 'grad_norm': '1.2', 'learning_rate': '8.75e-07', 'num_tokens': '188', 'completions/mean_length': '8', 'completions/min_length': '8', " +
  "'completions/max_length': '8', 'completions/clipped_ratio': '1', 'completions/mean_terminated_length': '0', 'rewards/trait_reward/mean': '0.25', " +
  "'rewards/trait_reward/std': '0.5', 'reward': '0.25', 'reward_std': '0.5', 'frac_reward_zero_std': '1', 'entropy': '6.199', 'clip_ratio/low_mean': '0', " +
  "'step_time': '0.04744', 'epoch': '1'}";
const TRL_SUMMARY = "{'train_runtime': '3.064', 'train_samples_per_second': '10.44', 'train_steps_per_second': '2.611', 'train_loss': '0', 'epoch': '4'}";

describe('parsePythonDict', { timeout: 10_000 }, () => {
  it('reads the scalars print(dict) writes', () => {
    const d = parsePythonDict(`{'a': 'x', "b": 1, 'c': -2.5e-3, 'd': True, 'e': False, 'f': None, 'g': nan, 'h': -inf, 'i': inf, 'j': .5}`);
    assert.ok(d !== null);
    assert.deepEqual([...d.entries()].slice(0, 6), [['a', 'x'], ['b', 1], ['c', -0.0025], ['d', true], ['e', false], ['f', null]]);
    assert.ok(Number.isNaN(d.get('g')));
    assert.equal(d.get('h'), Number.NEGATIVE_INFINITY);
    assert.equal(d.get('i'), Number.POSITIVE_INFINITY);
    assert.equal(d.get('j'), 0.5);
  });

  it('decodes escapes in keys and values', () => {
    const d = parsePythonDict(String.raw`{'it\'s': "say \"hi\"\n", 'tab\t': '\x41\u00e9\U0001F600\\'}`);
    assert.deepEqual(d && [...d.entries()], [
      ["it's", 'say "hi"\n'],
      ['tab\t', 'Aé😀\\'],
    ]);
  });

  it('reads the empty dict and tolerates spaces', () => {
    assert.deepEqual(parsePythonDict('  {}  ') && [...parsePythonDict('  {}  ')!.entries()], []);
    assert.deepEqual([...parsePythonDict("{ 'a' :1 , 'b':2 }")!.entries()], [['a', 1], ['b', 2]]);
  });

  it('answers null for anything it does not fully understand, never evaluating it', () => {
    for (const text of [
      '',
      'loss: 1',
      "{'a': 1",
      "{'a': 1,}",
      "{'a': 1} trailing",
      "{'a': [1, 2]}",
      "{'a': {'b': 1}}",
      "{a: 1}",
      "{'a': __import__('os')}",
      "{'a': Truer}",
      "{'a': 'unterminated}",
      String.raw`{'a': '\q'}`,
      String.raw`{'a': '\x4'}`,
      String.raw`{'a': '\U00110000'}`,
      "{'a': 1 'b': 2}",
    ]) {
      assert.equal(parsePythonDict(text), null, text);
    }
  });
});

describe('parseTrlLogLine', { timeout: 10_000 }, () => {
  it('reads a GRPO step: every numeric original plus the canonical names', () => {
    const parsed = parseTrlLogLine(TRL_STEP);
    assert.ok(parsed?.kind === 'step');
    const m = parsed.metrics;
    assert.equal(m['loss'], 0.0123);
    assert.equal(m['learning_rate'], 8.75e-7);
    assert.equal(m['rewards/trait_reward/mean'], 0.25);
    assert.equal(m['completions/mean_length'], 8);
    assert.equal(m['response_length'], 8, 'response_length comes from completions/mean_length');
    assert.equal(m['epoch'], 1);
    for (const name of CANONICAL_METRICS.filter((n) => n !== 'kl')) assert.equal(typeof m[name], 'number', name);
    assert.equal(m['kl'], undefined, 'kl is only logged when beta > 0');
  });

  it('reports kl when TRL logs it', () => {
    const parsed = parseTrlLogLine("{'loss': '0.1', 'kl': '0.002', 'reward': '1'}");
    assert.equal(parsed?.kind === 'step' && parsed.metrics['kl'], 0.002);
  });

  it('tells the end-of-training summary from a step', () => {
    assert.equal(parseTrlLogLine(TRL_SUMMARY)?.kind, 'summary');
  });

  it('reads a dict after a progress bar redraw and around CRLF', () => {
    assert.equal(parseTrlLogLine(` 50%|█████     | 4/8 [00:01<00:01]\r${TRL_STEP}\r`)?.kind, 'step');
  });

  it('leaves out values that are not finite numbers', () => {
    const parsed = parseTrlLogLine("{'loss': 'nan', 'reward': '0.5', 'grad_norm': 'inf', 'note': 'text', 'flag': True, 'n': 3}");
    assert.deepEqual(parsed, { kind: 'step', metrics: { reward: 0.5, n: 3 } });
  });

  it('ignores other output: warnings, evaluation dicts, free text', () => {
    for (const line of ['✅ Training completed.', "{'eval_loss': '0.3', 'epoch': '1'}", 'Writing model shards: 100%', "{'loss': [1]}", '']) {
      assert.equal(parseTrlLogLine(line), null, line);
    }
  });
});
