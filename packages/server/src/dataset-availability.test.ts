import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { datasetIssueChecker, datasetPathResolver } from './dataset-availability.js';

describe('datasetIssueChecker', { timeout: 30_000 }, () => {
  const base = mkdtempSync(join(tmpdir(), 'ballast-dataset-check-'));
  const home = join(base, 'home');
  const extra = join(base, 'extra');
  mkdirSync(join(home, 'datasets'), { recursive: true });
  mkdirSync(extra);
  writeFileSync(join(home, 'datasets', 'a.jsonl'), '{}\n');
  writeFileSync(join(extra, 'b.jsonl'), '{}\n');
  symlinkSync('/etc/passwd', join(home, 'datasets', 'passwd.jsonl'));
  const issue = datasetIssueChecker({ home, datasets: { allowedRoots: [extra] } });
  after(() => rmSync(base, { recursive: true, force: true }));

  it('accepts reference corpora, files under $BALLAST_HOME/datasets and under datasets.allowedRoots', () => {
    assert.equal(issue('reference://traits'), null);
    assert.equal(issue(`file://${home}/datasets/a.jsonl`), null);
    assert.equal(issue(`file://${extra}/b.jsonl`), null);
  });

  it('names the reason and the code of a refused URI, and never the file contents', () => {
    assert.match(issue('file:///etc/shadow') ?? '', /^file:\/\/\/etc\/shadow is outside the allowed roots .*\(PATH_OUTSIDE_ROOTS\)$/);
    assert.match(issue(`file://${home}/datasets/passwd.jsonl`) ?? '', /PATH_OUTSIDE_ROOTS/);
    assert.match(issue(`file://${home}/datasets`) ?? '', /PATH_NOT_REGULAR_FILE/);
    assert.match(issue(`file://${home}/datasets/none.jsonl`) ?? '', /PATH_NOT_FOUND/);
    assert.doesNotMatch(issue(`file://${home}/datasets/passwd.jsonl`) ?? '', /root:/);
  });

  it('gives the checked real path of the URIs it accepts, and null for those it refuses', () => {
    const path = datasetPathResolver({ home, datasets: { allowedRoots: [extra] } });
    assert.equal(path(`file://${extra}/./b.jsonl`), join(extra, 'b.jsonl'));
    assert.equal(path(`file://${home}/datasets/passwd.jsonl`), null);
    assert.equal(path('file:///etc/shadow'), null);
    assert.equal(path('reference://attack'), null);
  });
});
