import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { isUserPathError } from '@ballast/user-paths';
import { resolveEntryPaths, validateBenchmarkEntry } from './index.js';

describe('resolveEntryPaths', { timeout: 10_000 }, () => {
  let base: string;
  let root: string;
  const opts = () => ({ roots: [root], rootsSetting: 'ml.allowedRoots', fieldPrefix: 'entry.' });
  const entry = (harness: object) =>
    validateBenchmarkEntry({ id: 'tiny', version: 1, category: 'capability', description: 'd', metric: 'accuracy', direction: 'higher_is_better', harness });
  const fail = (fn: () => unknown, code: string, field: string) =>
    assert.throws(fn, (error: unknown) => isUserPathError(error) && error.code === code && error.field === field);

  before(() => {
    base = realpathSync(mkdtempSync(join(tmpdir(), 'ballast-bench-paths-')));
    root = join(base, 'root');
    mkdirSync(join(root, 'lm'), { recursive: true });
    mkdirSync(join(base, 'outside'));
    writeFileSync(join(root, 'qa.py'), 'pass\n');
    writeFileSync(join(root, 'notes.txt'), 'x\n');
    writeFileSync(join(root, 'lm', 'task.yaml'), 'task: t\n');
    writeFileSync(join(base, 'outside', 'evil.py'), 'pass\n');
    symlinkSync(join(root, 'qa.py'), join(root, 'link.py'));
    symlinkSync(join(root, 'notes.txt'), join(root, 'notes.py'));
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  it('writes back the real path as a file URI, keeping a #task suffix', () => {
    const out = resolveEntryPaths(entry({ kind: 'inspect', task: `${pathToFileURL(join(root, 'link.py')).href}#qa` }), opts());
    assert.equal(out.harness.kind === 'inspect' && out.harness.task, `${pathToFileURL(join(root, 'qa.py')).href}#qa`);
    const lm = resolveEntryPaths(entry({ kind: 'lm-eval', task: 't', includePath: pathToFileURL(join(root, 'lm', '..', 'lm')).href }), opts());
    assert.equal(lm.harness.kind === 'lm-eval' && lm.harness.includePath, pathToFileURL(join(root, 'lm')).href);
  });

  it('leaves registered task names alone', () => {
    const e = entry({ kind: 'inspect', task: 'inspect_evals/gsm8k' });
    assert.equal(resolveEntryPaths(e, opts()), e);
  });

  it('refuses paths outside the roots, directories for task files, files for include paths, and non-.py targets', () => {
    fail(() => resolveEntryPaths(entry({ kind: 'inspect', task: pathToFileURL(join(base, 'outside', 'evil.py')).href }), opts()), 'PATH_OUTSIDE_ROOTS', 'entry.harness.task');
    fail(() => resolveEntryPaths(entry({ kind: 'lm-eval', task: 't', includePath: pathToFileURL(join(root, 'qa.py')).href }), opts()), 'PATH_NOT_REGULAR_FILE', 'entry.harness.includePath');
    fail(() => resolveEntryPaths(entry({ kind: 'inspect', task: pathToFileURL(join(root, 'notes.py')).href }), opts()), 'PATH_INVALID', 'entry.harness.task');
    fail(() => resolveEntryPaths(entry({ kind: 'inspect', task: pathToFileURL(join(root, 'missing.py')).href }), opts()), 'PATH_NOT_FOUND', 'entry.harness.task');
  });
});
