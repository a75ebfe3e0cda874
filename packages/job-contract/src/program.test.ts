import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { ContractInputError } from './errors.js';
import { runContractProgram } from './program.js';
import { readStatusFile } from './status.js';

afterEach(() => {
  // runContractProgram sets the exit code of this very process; the test runner must not inherit it.
  process.exitCode = 0;
});

async function envFor() {
  const outputDir = await mkdtemp(join(tmpdir(), 'jc-prog-'));
  return {
    outputDir,
    env: {
      BALLAST_CONTRACT_VERSION: '0',
      BALLAST_JOB_ID: 'job_1',
      BALLAST_ATTEMPT_ID: 'att_1',
      BALLAST_JOB_SPEC: join(outputDir, 'spec.json'),
      BALLAST_OUTPUT_DIR: outputDir,
      BALLAST_SEED: '1',
    },
  };
}
const quiet = () => {};

void test('success: exit 0, status succeeded with progress and the simulated flag', async () => {
  const { env, outputDir } = await envFor();
  const code = await runContractProgram(async () => ({ progress: { step: 3 } }), { simulated: true, env, log: quiet });
  assert.equal(code, 0);
  const s = await readStatusFile(outputDir);
  assert.equal(s?.outcome, 'succeeded');
  assert.deepEqual(s?.progress, { step: 3 });
  assert.equal(s?.simulated, true);
  assert.equal(s?.jobId, 'job_1');
});

void test('ContractInputError: exit 2, status bad_input with the message', async () => {
  const { env, outputDir } = await envFor();
  const code = await runContractProgram(
    async () => {
      throw ContractInputError.badEnv('X', 'is wrong');
    },
    { simulated: false, env, log: quiet },
  );
  assert.equal(code, 2);
  assert.equal(process.exitCode, 2);
  const s = await readStatusFile(outputDir);
  assert.equal(s?.outcome, 'bad_input');
  assert.equal(s?.exitCode, 2);
  assert.match(s?.message ?? '', /X: is wrong/);
  assert.equal(s?.simulated, false);
});

void test('other errors: exit 1, status failed keeps the last reported progress', async () => {
  const { env, outputDir } = await envFor();
  const code = await runContractProgram(
    async (ctx) => {
      ctx.setProgress({ step: 50 });
      throw new Error('boom');
    },
    { simulated: true, env, log: quiet },
  );
  assert.equal(code, 1);
  const s = await readStatusFile(outputDir);
  assert.equal(s?.outcome, 'failed');
  assert.deepEqual(s?.progress, { step: 50 });
});

void test('a bad env still writes status.json when OUTPUT is known', async () => {
  const { env, outputDir } = await envFor();
  let ran = false;
  const code = await runContractProgram(
    async () => {
      ran = true;
      return { progress: {} };
    },
    { simulated: true, env: { ...env, BALLAST_SEED: 'x' }, log: quiet },
  );
  assert.equal(code, 2);
  assert.equal(ran, false);
  const s = await readStatusFile(outputDir);
  assert.equal(s?.outcome, 'bad_input');
  assert.match(s?.message ?? '', /BALLAST_SEED/);
});
