import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ContractInputError } from './errors.js';
import { readContractEnv } from './env.js';

const good = {
  BALLAST_CONTRACT_VERSION: '0',
  BALLAST_JOB_ID: 'job_abcdefgh',
  BALLAST_ATTEMPT_ID: 'att_abcdefgh',
  BALLAST_JOB_SPEC: '/tmp/spec.json',
  BALLAST_OUTPUT_DIR: '/tmp/out',
  BALLAST_SEED: '7',
};

void test('reads a complete env', () => {
  const env = readContractEnv({ ...good, BALLAST_RESUME_FROM: 'auto' });
  assert.deepEqual(env, {
    contractVersion: '0',
    jobId: 'job_abcdefgh',
    attemptId: 'att_abcdefgh',
    jobSpecPath: '/tmp/spec.json',
    outputDir: '/tmp/out',
    seed: 7,
    resumeFrom: 'auto',
  });
});

void test('an absent or blank resume variable means a fresh start; a path is kept', () => {
  assert.equal(readContractEnv(good).resumeFrom, null);
  assert.equal(readContractEnv({ ...good, BALLAST_RESUME_FROM: '  ' }).resumeFrom, null);
  assert.equal(readContractEnv({ ...good, BALLAST_RESUME_FROM: '/ck/step-5' }).resumeFrom, '/ck/step-5');
});

void test('a bad or missing variable is named in a ContractInputError', () => {
  const cases: [Record<string, string | undefined>, string][] = [
    [{ BALLAST_SEED: 'seven' }, 'BALLAST_SEED'],
    [{ BALLAST_SEED: '-1' }, 'BALLAST_SEED'],
    [{ BALLAST_OUTPUT_DIR: undefined }, 'BALLAST_OUTPUT_DIR'],
    [{ BALLAST_JOB_ID: '' }, 'BALLAST_JOB_ID'],
    [{ BALLAST_CONTRACT_VERSION: '1' }, 'BALLAST_CONTRACT_VERSION'],
  ];
  for (const [patch, variable] of cases) {
    assert.throws(
      () => readContractEnv({ ...good, ...patch }),
      (err: unknown) =>
        err instanceof ContractInputError &&
        err.code === 'CONTRACT_INPUT' &&
        err.source === variable &&
        err.message.startsWith(`${variable}:`),
      variable,
    );
  }
});
