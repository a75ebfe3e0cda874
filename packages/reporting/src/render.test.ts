import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Report } from '@ballast/schema';
import { formatDifference, formatInterval } from './format.js';
import { renderReportMarkdown } from './render-markdown.js';
import { renderReportSummary } from './render-summary.js';
import { verdictFor } from './verdict.js';
import { buildReport } from './build-report.js';
import { reportInput } from './report/test-input.js';

/** The bounds a reader sees: the two numbers inside `[low, high]`. */
function printedBounds(interval: string): [number, number] {
  const match = /^\[(\S+), (\S+)\]$/.exec(interval);
  assert.ok(match, `not an interval: ${interval}`);
  return [Number(match[1]), Number(match[2])];
}

/** A small deterministic generator, so a failure names a reproducible case. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('printed intervals and verdicts', { timeout: 30_000 }, () => {
  test('the issue cases: [+0.00026, +0.013] reads improved, [-0.00007, +0.050] does not', () => {
    assert.equal(formatInterval(0.00026, 0.013), '[+0.00026, +0.013]');
    assert.equal(formatInterval(-0.00007, 0.05), '[-0.000070, +0.050]');
    assert.equal(formatDifference(0), '0.000');
    assert.equal(formatDifference(-0.1234), '-0.123');
  });

  test('a verdict never contradicts the printed interval (20,000 random intervals, many near zero)', () => {
    const random = lcg(7);
    for (let i = 0; i < 20_000; i++) {
      // Magnitudes from 1e-9 to 10, so bounds land on every side of the rounding to three decimals.
      const magnitude = () => 10 ** (-9 + random() * 10) * (random() < 0.5 ? -1 : 1);
      const a = random() < 0.05 ? 0 : magnitude();
      const b = magnitude();
      const [low, high] = a <= b ? [a, b] : [b, a];
      const printed = formatInterval(low, high);
      const [pLow, pHigh] = printedBounds(printed);
      assert.equal(verdictFor(pLow, pHigh), verdictFor(low, high), `[${low}, ${high}] printed as ${printed}`);
      assert.equal(Math.sign(pLow), Math.sign(low), `${low} printed as ${printed}`);
      assert.equal(Math.sign(pHigh), Math.sign(high), `${high} printed as ${printed}`);
    }
  });
});

const HOSTILE = 'x\x1b[2J\x1b]0;pwned\x07\u009b31m\b\b\r\nforged row\u202e';

/** A report whose description and labels carry terminal escapes, a forged line and a bidi override. */
function report(): Report {
  const input = reportInput();
  return buildReport({ ...input, description: `A study ${HOSTILE}`, labels: { team: `safety ${HOSTILE}` }, modelLabel: `tiny ${HOSTILE}` });
}

describe('report header and lineage', { timeout: 30_000 }, () => {
  test('the summary shows description, labels, seeds, samples per item and the checkpoints compared, all escaped', () => {
    const text = renderReportSummary(report());
    assert.match(text, /A study x\\x1b\[2J\\x1b\]0;pwned\\x07\\x9b31m\\x08\\x08\\r\\nforged row\\u202e/);
    assert.match(text, /labels: team=safety x\\x1b/);
    assert.match(text, /4 samples per item/);
    assert.match(text, /arm traits-5: traits-5 seed 11 step 100/);
    assert.doesNotMatch(text, /[\x1b\x07\b\r\u009b\u202e]/, 'no raw control or bidi character');
    assert.ok(!text.split('\n').some((l) => l.startsWith('forged row')), 'no forged row');
  });

  test('the Markdown shows the same header and lineage, escaped', () => {
    const md = renderReportMarkdown(report());
    assert.match(md, /A study x\\\\x1b\\\[2J/);
    assert.match(md, /Labels: team=safety/);
    assert.match(md, /4 samples per item/);
    assert.match(md, /\| traits-5 \| traits-5 \| 11 \|/);
    assert.match(md, /`sha256:traits-5` \(step 100\)/);
    assert.doesNotMatch(md, /[\x1b\x07\b\r\u009b\u202e]/, 'no raw control or bidi character');
    assert.ok(!md.split('\n').some((l) => l.startsWith('forged row')), 'no forged row');
  });
});

describe('reuse provenance', { timeout: 30_000 }, () => {
  test('a reused run carries where it came from into the report; summary and Markdown list it, escaped', () => {
    const input = reportInput();
    const baseline = input.arms.baseline!;
    const reusedFrom = { experimentId: 'exp_earlier', experimentName: `sweep ${HOSTILE}`, run: 'baseline' };
    const report = buildReport({ ...input, arms: { ...input.arms, baseline: { ...baseline, runs: baseline.runs.map((r) => ({ ...r, reusedFrom })) } } });
    assert.deepEqual(report.arms.find((a) => a.name === 'baseline')!.replicates[0]!.reusedFrom, reusedFrom);
    assert.equal(report.arms.find((a) => a.name === 'traits-5')!.replicates[0]!.reusedFrom, undefined, 'a run trained here says nothing');
    const text = renderReportSummary(report);
    assert.match(text, /reused: baseline reused from experiment sweep x\\x1b.* \(exp_earlier\), run baseline/);
    const md = renderReportMarkdown(report);
    assert.match(md, /Reused runs/);
    assert.match(md, /- baseline: from experiment sweep x\\\\x1b.* \(`exp_earlier`\), run baseline/);
    for (const out of [text, md]) {
      assert.doesNotMatch(out, /[\x1b\x07\b\r\u009b\u202e]/, 'no raw control or bidi character');
      assert.ok(!out.split('\n').some((l) => l.startsWith('forged row')), 'no forged row');
    }
    assert.doesNotMatch(renderReportMarkdown(buildReport(input)), /Reused runs/, 'nothing reused, nothing listed');
  });
});
