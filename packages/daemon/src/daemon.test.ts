import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isProcessAlive, processStartTime, terminateProcess } from './proc.js';
import { liveProcessFromPidFile, writePidFile } from './pid-file.js';
import { spawnDetached } from './spawn-detached.js';
import { isPortOpen, waitUntil } from './wait.js';

describe('daemon', () => {
  it('knows a process by pid and start time, so a recycled pid is not mistaken for it', () => {
    const start = processStartTime(process.pid);
    assert.ok(start);
    assert.equal(isProcessAlive(process.pid, start), true);
    assert.equal(isProcessAlive(process.pid, `${start}1`), false);
    assert.equal(isProcessAlive(2 ** 22 + 12345), false);
  });

  it('starts a detached service with a log file, adopts it by pid file, and stops it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-daemon-'));
    const record = spawnDetached({
      command: process.execPath,
      args: ['-e', "console.log('hello from the service'); setInterval(() => {}, 1000)"],
      logFile: join(dir, 'service.log'),
      info: { port: 1 },
    });
    const pidFile = join(dir, 'service.pid.json');
    writePidFile(pidFile, record);
    assert.equal(liveProcessFromPidFile(pidFile)?.pid, record.pid);
    await waitUntil(async () => readFileSync(join(dir, 'service.log'), 'utf8').includes('hello'), {
      timeoutMs: 10_000,
      onTimeout: () => new Error('no output'),
    });
    await terminateProcess(record.pid, record.startTime, { graceMs: 5000 });
    assert.equal(isProcessAlive(record.pid, record.startTime), false);
    assert.equal(liveProcessFromPidFile(pidFile), null, 'a stale pid file reads as nothing');
    assert.equal(existsSync(pidFile), false, 'and is removed');
  });

  it('escalates to SIGKILL when a process ignores SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-daemon-'));
    const record = spawnDetached({
      command: process.execPath,
      args: ['-e', "process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000)"],
      logFile: join(dir, 'sigterm-ignoring.log'),
    });
    await waitUntil(async () => readFileSync(join(dir, 'sigterm-ignoring.log'), 'utf8').includes('ready'), { timeoutMs: 10_000, onTimeout: () => new Error('not ready') });
    await terminateProcess(record.pid, record.startTime, { graceMs: 500 });
    assert.equal(isProcessAlive(record.pid, record.startTime), false);
  });

  it('tells an open port from a closed one', async () => {
    assert.equal(await isPortOpen('127.0.0.1', 1, 500), false);
  });
});
