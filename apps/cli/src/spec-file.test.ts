import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { readSpecFile } from './spec-file.js';

const dir = mkdtempSync(join(tmpdir(), 'ballast-spec-'));

function spec(trainer: string): string {
  return `apiVersion: ballast.dev/v1alpha1
kind: Experiment
metadata: { name: neg-steps }
spec:
  datasets: { regular: { uri: 'reference://regular' } }
  trainer: ${trainer}
  arms: [{ name: baseline, mix: { components: [{ dataset: regular, fraction: 1 }] } }]
`;
}

describe('reading spec files', { timeout: 10_000 }, () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a negative trainer.steps gives one error, not a second one about saveEvery', () => {
    const file = join(dir, 'neg.yaml');
    writeFileSync(file, spec('{ steps: -5 }'));
    const { issues } = readSpecFile(file);
    assert.deepEqual(issues.map((i) => i.path), ['spec.trainer.steps'], JSON.stringify(issues));
  });

  test('saveEvery above a valid steps is still refused', () => {
    const file = join(dir, 'save.yaml');
    writeFileSync(file, spec('{ steps: 10, saveEvery: 50 }'));
    const { issues } = readSpecFile(file);
    assert.deepEqual(issues.map((i) => i.path), ['spec.trainer.saveEvery'], JSON.stringify(issues));
  });
});
