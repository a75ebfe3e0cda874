import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareVersions, parseReleaseVersion } from './version.js';

void test('release versions parse, with or without a leading v', () => {
  assert.deepEqual(parseReleaseVersion('0.10.2'), { major: 0, minor: 10, patch: 2 });
  assert.deepEqual(parseReleaseVersion('v1.0.0'), { major: 1, minor: 0, patch: 0 });
});

void test('anything but MAJOR.MINOR.PATCH is not a release version', () => {
  for (const text of ['0.10', '0.10.2rc1', '0.10.2.post1', '0.10.2-beta', '01.2.3', 'latest', '']) {
    assert.equal(parseReleaseVersion(text), null, text);
  }
});

void test('comparison is numeric per component, not lexical', () => {
  const v = (t: string) => parseReleaseVersion(t)!;
  assert.ok(compareVersions(v('0.10.0'), v('0.9.9')) > 0);
  assert.ok(compareVersions(v('0.10.2'), v('0.10.10')) < 0);
  assert.equal(compareVersions(v('1.2.3'), v('v1.2.3')), 0);
});
