import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ExperimentView } from '@ballast/schema';
import { formatIssues, renderExperiment, renderExperimentRow } from './render.js';

// What a hostile launcher, spec or dataset can put in a string: colours, an OSC title, clear screen,
// a C1 CSI, backspaces, CR/LF that forge a row, and a right-to-left override.
const HOSTILE = '\x1b[31mred\x1b[0m\x1b]0;pwned\x07\x1b[2J\u009b31m\b\b\r\nexp_forged  SUCCEEDED\u202eevil';
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

function view(): ExperimentView {
  return {
    id: 'exp_0123456789',
    name: 'traits-vs-baseline',
    phase: 'FAILED',
    simulated: true,
    specHash: 'abc',
    launchedBy: HOSTILE,
    ballastVersion: '0.1.0',
    gitCommit: null,
    workflowId: 'experiment-exp_0123456789',
    createdAt: '2026-01-01T00:00:00.000Z',
    finishedAt: null,
    error: `source 'regular' line 3 is malformed: ${HOSTILE}`,
    arms: [
      { armId: 'arm_1', name: `arm${HOSTILE}`, phase: 'TRAINING', trainStep: 3, totalSteps: 10, checkpoints: 0, evaluations: 0, evaluationsPlanned: 1, gpuHours: 0, cpuHours: 0 },
    ] as ExperimentView['arms'],
    gpuHours: 0,
    cpuHours: 0,
  };
}

/** Every line the layout produced, and that none holds a raw control character or starts a forged row. */
function assertInert(text: string, expectedLines: number): void {
  assert.doesNotMatch(text, RAW_CONTROL, `raw control or bidi character in ${JSON.stringify(text)}`);
  const lines = text.split('\n');
  assert.equal(lines.length, expectedLines, `the data added rows: ${JSON.stringify(lines)}`);
  assert.ok(!lines.some((l) => l.startsWith('exp_forged')), 'a forged row');
}

describe('what the CLI prints from data is escaped', { timeout: 10_000 }, () => {
  test('status rows: launchedBy shows \\x1b, \\u202e, \\r\\n and the rest escaped, on one line', () => {
    const row = renderExperimentRow(view());
    assertInert(row, 1);
    assert.ok(row.includes('by \\x1b[31mred\\x1b[0m\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\x08\\x08\\r\\nexp_forged  SUCCEEDED\\u202eevil'), row);
  });

  test('status ID: arm names, launcher, error, description and labels are escaped', () => {
    const text = renderExperiment(view(), { description: `study ${HOSTILE}`, labels: { [`k${HOSTILE}`]: `v${HOSTILE}` } });
    // id line, description, labels, launched by, one arm, total, error
    assertInert(text, 7);
    assert.match(text, /\n {2}study \\x1b\[31m/);
    assert.match(text, /\n {2}labels: k\\x1b\[31m.*=v\\x1b/);
    assert.match(text, /\n {2}error: source 'regular' line 3 is malformed: \\x1b/);
  });

  test('field issues quoting a dataset URI are escaped', () => {
    const text = formatIssues([
      { path: 'spec.datasets.regular.uri', message: `dataset not found: file:///data/${HOSTILE}.jsonl` },
      { path: `spec.arms.${HOSTILE}`, message: 'x' },
    ]);
    assertInert(text, 2);
    assert.match(text, /file:\/\/\/data\/\\x1b\[31mred/);
  });
});
