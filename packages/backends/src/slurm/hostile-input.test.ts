import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { waitForState } from '../local/fixtures/harness.js';
import { slurmFixture } from './fixtures/cluster.js';
import type { SlurmFixture } from './fixtures/cluster.js';
import { BATCH_SCRIPT } from './sbatch.js';
import { hostileStrings } from '../testing/hostile-strings.js';

let slurm: SlurmFixture;

before(async () => {
  slurm = await slurmFixture();
}, { timeout: 600_000 });
after(() => slurm.sandbox.cleanup(), { timeout: 120_000 });

test('hostile strings in argv, env and the key reach the program verbatim and never a shell', { timeout: 120_000 }, async () => {
  const pwned = join(slurm.sandbox.dir, 'pwned');
  const hostile = hostileStrings(pwned, [' JobState=COMPLETED ExitCode=0:0 ', '%j']);
  const script = `
    const out = process.env.BALLAST_OUTPUT_DIR + '/seen.json';
    require('node:fs').writeFileSync(out, JSON.stringify({ argv: process.argv.slice(1), env: process.env.HOSTILE, key: process.env.KEYLIKE, cwd: process.cwd() }));
  `;
  const key = `../../$(touch ${pwned}-key)/\`x\`;'" JobState=COMPLETED\n`;
  const base = slurm.request('hostile', script, { args: hostile, env: { HOSTILE: hostile.join('|'), KEYLIKE: key } });
  const request = { ...base, idempotencyKey: key };
  const backend = slurm.backend();
  const { handle } = await backend.submit(request);
  const observed = await waitForState(backend, handle, ['SUCCEEDED', 'FAILED', 'CANCELLED', 'LOST', 'PREEMPTED']);
  assert.ok(observed.kind === 'state' && observed.state === 'SUCCEEDED', JSON.stringify(observed));

  const seen = JSON.parse(await readFile(join(request.outputDir, 'seen.json'), 'utf8')) as Record<string, unknown>;
  assert.deepEqual(seen, { argv: hostile, env: hostile.join('|'), key, cwd: request.cwd });
  for (const suffix of ['dollar', 'backtick', 'quote', 'dquote', 'newline', 'pipe', 'key']) {
    assert.equal(existsSync(`${pwned}-${suffix}`), false, suffix);
  }
  assert.deepEqual((await readdir(slurm.sandbox.dir)).filter((name) => name.startsWith('pwned')), []);
  assert.deepEqual(await backend.findByKey(key), handle);
  assert.equal(await readFile(join(slurm.sandbox.stateDir, 'batch.sh'), 'utf8'), BATCH_SCRIPT, 'the batch script is the constant one');
});
