import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { localJobId } from './layout.js';
import { isSameProcessAlive, readProcStat } from './proc.js';
import { tailLines } from '../tail.js';

test('readProcStat reads this process: its group and a stable start time', { timeout: 30_000 }, async () => {
  const stat = await readProcStat(process.pid);
  assert.ok(stat);
  assert.match(stat.startTime, /^\d+$/);
  assert.equal((await readProcStat(process.pid))?.startTime, stat.startTime);
  assert.equal(await isSameProcessAlive(process.pid, stat.startTime), true);
  assert.equal(await isSameProcessAlive(process.pid, '0'), false);
  assert.equal(await readProcStat(2 ** 22 + 1), null, 'beyond pid_max');
});

test('localJobId is file-name safe and keeps distinct keys distinct', { timeout: 30_000 }, () => {
  assert.match(localJobId('job_1/attempt_2'), /^job_1_attempt_2-[0-9a-f]{16}$/);
  assert.notEqual(localJobId('a/b'), localJobId('a_b'));
  assert.match(localJobId('..'), /^_-/);
  assert.ok(localJobId('x'.repeat(500)).length < 100);
});

test('tailLines returns the last lines of large and small files', { timeout: 30_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ballast-tail-'));
  try {
    const big = join(dir, 'big.log');
    await writeFile(big, Array.from({ length: 50_000 }, (_, i) => `line ${i}`).join('\n') + '\n');
    assert.deepEqual(await tailLines(big, 3), ['line 49997', 'line 49998', 'line 49999']);
    const small = join(dir, 'small.log');
    await writeFile(small, 'a\nb');
    assert.deepEqual(await tailLines(small, 10), ['a', 'b']);
    assert.deepEqual(await tailLines(join(dir, 'none.log'), 10), []);
    assert.deepEqual(await tailLines(small, 0), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
