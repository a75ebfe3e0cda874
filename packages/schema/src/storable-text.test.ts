import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unstorableTextIssues, unstorableTextReason } from './storable-text.js';

const launchInput = () => ({
  clientRequestId: 'req-12345678',
  launchedBy: 'ada',
  spec: {
    apiVersion: 'ballast.dev/v1alpha1',
    kind: 'Experiment',
    metadata: { name: 'demo', description: 'fine', labels: { team: 'rl' } },
    spec: {
      datasets: { regular: { uri: 'file:///data/regular.jsonl' } },
      arms: [{ name: 'baseline', description: 'control', mix: { components: [{ dataset: 'regular', fraction: 1 }] } }],
    },
  },
});

describe('unstorableTextIssues', { timeout: 10_000 }, () => {
  it('accepts ordinary text, emoji (paired surrogates) included', () => {
    const input = launchInput();
    input.spec.metadata.description = 'honesty 🧭 über alles';
    assert.deepEqual(unstorableTextIssues(input), []);
  });

  it('names the field path of a NUL in a launch spec description', () => {
    const input = launchInput();
    input.spec.metadata.description = 'a\u0000b';
    assert.deepEqual(unstorableTextIssues(input), [
      { path: 'spec.metadata.description', message: 'contains a NUL character (\\u0000), which cannot be stored' },
    ]);
  });

  it('finds lone surrogates anywhere: arm descriptions, dataset URIs, launchedBy', () => {
    const input = launchInput();
    input.launchedBy = 'x\uD800';
    input.spec.spec.arms[0]!.description = '\uDC00tail';
    input.spec.spec.datasets.regular.uri = 'file:///data/\u0000.jsonl';
    const paths = unstorableTextIssues(input).map((i) => i.path).sort();
    assert.deepEqual(paths, ['launchedBy', 'spec.spec.arms.0.description', 'spec.spec.datasets.regular.uri']);
  });

  it('checks object keys and shows the bad character escaped in the path', () => {
    const input = launchInput();
    (input.spec.metadata.labels as Record<string, string>)['a\u0000b'] = 'v';
    const issues = unstorableTextIssues(input);
    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.path, 'spec.metadata.labels.a\\u0000b');
    assert.doesNotMatch(issues[0]!.path, /\u0000/);
  });

  it('walks deep nesting without overflowing the stack and caps the issue count', () => {
    let deep: unknown = 'bottom\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    assert.equal(unstorableTextIssues(deep).length, 1);
    assert.equal(unstorableTextIssues(Array.from({ length: 1000 }, () => '\u0000')).length, 20);
  });

  it('gives a reason per kind of defect', () => {
    assert.equal(unstorableTextReason('ok'), null);
    assert.match(unstorableTextReason('\u0000') ?? '', /NUL/);
    assert.match(unstorableTextReason('\uDBFF') ?? '', /surrogate/);
  });
});
