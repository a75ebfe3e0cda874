import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { EvalJobSpec } from '@ballast/schema';
import { ContractInputError } from './errors.js';
import { readJobSpec } from './job-spec.js';

const spec = {
  contractVersion: '0',
  kind: 'eval',
  checkpointPath: 'reference://init',
  benchmarks: [{ ref: 'x@1', itemsPath: '/i.jsonl' }],
  samplesPerItem: 4,
  seed: 0,
};

async function specFile(content: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'jc-spec-'));
  const path = join(dir, 'spec.json');
  await writeFile(path, content);
  return path;
}

void test('parses a valid spec with the given schema', async () => {
  const parsed = await readJobSpec(await specFile(JSON.stringify(spec)), EvalJobSpec);
  assert.equal(parsed.samplesPerItem, 4);
});

void test('reports field paths of an invalid spec', async () => {
  const path = await specFile(JSON.stringify({ ...spec, samplesPerItem: 0, extra: 1 }));
  await assert.rejects(readJobSpec(path, EvalJobSpec), (err: unknown) => {
    assert.ok(err instanceof ContractInputError);
    const paths = err.issues.map((i) => i.path).sort();
    assert.deepEqual(paths, ['extra', 'samplesPerItem']);
    assert.equal(err.source, path);
    return true;
  });
});

void test('a missing file and non-JSON are bad input, not crashes', async () => {
  await assert.rejects(readJobSpec('/nonexistent/spec.json', EvalJobSpec), ContractInputError);
  await assert.rejects(readJobSpec(await specFile('{oops'), EvalJobSpec), ContractInputError);
});
