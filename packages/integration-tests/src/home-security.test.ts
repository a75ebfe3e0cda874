import assert from 'node:assert/strict';
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TRPCClientError } from '@trpc/client';
import { smallSpec, startTestStack, type TestStack } from './index.js';

/** The field issues of a refused request; fails when the request was not refused as bad input. */
async function issuesOf(call: Promise<unknown>): Promise<{ path: string; message: string }[]> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(error instanceof TRPCClientError, `expected a tRPC error (BAD_REQUEST), got ${String(error)}`);
  assert.equal(error.data?.code, 'BAD_REQUEST');
  return (error.data as { issues: { path: string; message: string }[] }).issues;
}

function mixDoc(uri: string) {
  return {
    apiVersion: 'ballast.dev/v1alpha1',
    kind: 'Mix',
    metadata: { name: 'security-mix' },
    spec: {
      seed: 3,
      datasets: { regular: { uri }, traits: { uri: 'reference://traits' } },
      mix: { totalRecords: 400, components: [{ dataset: 'regular', fraction: 0.95 }, { dataset: 'traits', fraction: 0.05 }] },
    },
  };
}

/** Every directory and file under `dir` whose mode lets group or others in. */
function openToOthers(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const stats = lstatSync(path);
    if (stats.isSymbolicLink()) return [];
    const own = (stats.mode & 0o077) !== 0 ? [`${path} (${(stats.mode & 0o777).toString(8)})`] : [];
    return stats.isDirectory() ? [...own, ...openToOthers(path)] : own;
  });
}

describe('paths a user names, and the permissions of BALLAST_HOME', { timeout: 300_000 }, () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack('security', { embedded: true });
  });
  after(async () => {
    await stack?.stop();
  });

  it('refuses dataset URIs outside the roots at launch, at their field, and starts nothing', async () => {
    const hostile: [string, string][] = [
      ['file:///etc/shadow', 'PATH_OUTSIDE_ROOTS'],
      ['file:///tmp/../../../../etc/passwd', 'PATH_OUTSIDE_ROOTS'],
      ['file:///proc/self/environ', 'PATH_OUTSIDE_ROOTS'],
      ['file:///dev/zero', 'PATH_OUTSIDE_ROOTS'],
      [`file://${stack.home}/datasets/missing.jsonl`, 'PATH_NOT_FOUND'],
    ];
    for (const [uri, code] of hostile) {
      const spec = smallSpec({ name: 'hostile' });
      spec.spec.datasets['regular'] = { uri };
      const issues = await issuesOf(stack.api.experiments.launch.mutate({ clientRequestId: `hostile-${code}-${uri.length}`, spec }));
      const issue = issues.find((i) => i.path === 'spec.spec.datasets.regular.uri');
      assert.ok(issue, `${uri}: no issue at spec.spec.datasets.regular.uri in ${JSON.stringify(issues)}`);
      assert.match(issue.message, new RegExp(code), `${uri}: ${issue.message}`);
      assert.doesNotMatch(issue.message, /root:|x:0:0/, 'no file contents in the message');
    }
    assert.deepEqual(await stack.api.experiments.list.query({}), [], 'no experiment was started');
  });

  it('refuses them at mix preview and mix build too', async () => {
    for (const call of [
      stack.api.mixes.preview.mutate({ spec: mixDoc('file:///etc/shadow') }),
      stack.api.mixes.build.mutate({ spec: mixDoc('file:///tmp/../../../../etc/passwd') }),
    ]) {
      const issues = await issuesOf(call);
      assert.ok(
        issues.some((i) => i.path === 'spec.spec.datasets.regular.uri' && /PATH_OUTSIDE_ROOTS/.test(i.message)),
        JSON.stringify(issues),
      );
    }
  });

  it('creates everything under BALLAST_HOME owner-only (0700 directories, 0600 files)', async () => {
    // A preview generates the reference corpora and registers sources: the home's data directories.
    await stack.api.mixes.preview.mutate({ spec: mixDoc('reference://regular') });
    assert.equal(lstatSync(stack.home).mode & 0o777, 0o700, 'BALLAST_HOME is 0700');
    const entries = readdirSync(stack.home);
    for (const expected of ['artifacts', 'datasets', 'temporal']) assert.ok(entries.includes(expected), `${expected}/ was created under the home: ${entries.join(', ')}`);
    assert.deepEqual(openToOthers(stack.home), [], 'nothing under BALLAST_HOME is open to group or others');
  });
});
