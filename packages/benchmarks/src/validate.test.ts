import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BenchmarkEntryError, entryHash, validateBenchmarkEntry } from './index.js';

const good = {
  id: 'tiny-qa',
  version: 1,
  category: 'capability',
  description: 'Four questions about the tiny corpus.',
  metric: 'accuracy',
  direction: 'higher_is_better',
  harness: { kind: 'inspect', task: 'file:///srv/models/tasks/qa.py#qa' },
};

function issuesOf(input: unknown): string[] {
  try {
    validateBenchmarkEntry(input);
  } catch (error) {
    assert.ok(error instanceof BenchmarkEntryError, `expected BenchmarkEntryError, got ${String(error)}`);
    assert.equal(error.code, 'BENCHMARK_INVALID');
    return error.issues.map((i) => i.path);
  }
  assert.fail('the entry was accepted');
}

describe('validateBenchmarkEntry', { timeout: 5_000 }, () => {
  it('accepts a good entry and applies the defaults', () => {
    const entry = validateBenchmarkEntry(good);
    assert.equal(entry.simulated, false);
    assert.equal(entry.itemCount, null);
    assert.deepEqual(entry.traits, []);
    const lm = validateBenchmarkEntry({ ...good, harness: { kind: 'lm-eval', task: 'tiny_arc', includePath: 'file:///srv/models/lm' } });
    assert.deepEqual(lm.harness, { kind: 'lm-eval', task: 'tiny_arc', includePath: 'file:///srv/models/lm', metricKey: 'acc', filter: 'none' });
  });

  it('names every failing field at once, with its path', () => {
    assert.deepEqual(issuesOf({ ...good, id: 'Bad Id', direction: 'up', harness: { kind: 'lm-eval', task: 'x', metricKey: 'a b' }, extra: 1 }).sort(), [
      'direction',
      'extra',
      'harness.metricKey',
      'id',
    ]);
  });

  it('refuses the reference harness, SIMULATED real entries and built-in ids', () => {
    assert.deepEqual(issuesOf({ ...good, harness: { kind: 'reference' }, simulated: true }), ['harness.kind']);
    assert.deepEqual(issuesOf({ ...good, simulated: true }), ['simulated']);
    assert.deepEqual(issuesOf({ ...good, id: 'sycophancy-pushback-medical', version: 2 }), ['id']);
  });

  it('refuses a task file given as a bare name: it must be a file URI', () => {
    assert.deepEqual(issuesOf({ ...good, harness: { kind: 'inspect', task: 'tasks/qa.py#qa' } }), ['harness.task']);
    assert.equal(validateBenchmarkEntry({ ...good, harness: { kind: 'inspect', task: 'inspect_evals/gsm8k' } }).harness.kind, 'inspect');
  });
});

describe('entryHash', { timeout: 5_000 }, () => {
  it('is the same for the same content in any key order and different for different content', () => {
    const a = validateBenchmarkEntry(good);
    const b = validateBenchmarkEntry(Object.fromEntries(Object.entries(good).reverse()));
    assert.match(entryHash(a), /^sha256:[0-9a-f]{64}$/);
    assert.equal(entryHash(a), entryHash(b));
    assert.notEqual(entryHash(a), entryHash({ ...a, description: 'changed' }));
  });
});
