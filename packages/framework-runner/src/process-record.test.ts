import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { liveGroupMembers, readBootId, readProcStat, signalGroup, waitUntilGone } from './proc.js';
import { PROCESS_RECORD_FILE, readProcessRecord, stopEarlierAttempt, writeProcessRecord, type ProcessRecord } from './process-record.js';

const dirs: string[] = [];
const groups: number[] = [];
after(async () => {
  for (const g of groups) signalGroup(g, 'SIGKILL');
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function outputDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'runner-reap-'));
  dirs.push(dir);
  return dir;
}

/**
 * A stand-in for a framework left running (not a framework: two sleeping node processes): a detached
 * leader and a worker in its group, both ignoring SIGTERM when asked to.
 */
async function sleepingGroup(ignoreTerm: boolean): Promise<{ pid: number; startTime: string }> {
  const trap = ignoreTerm ? "process.on('SIGTERM', () => {});" : '';
  const worker = `${trap} setInterval(() => {}, 1000);`;
  const leader = `${trap} require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(worker)}], { stdio: 'ignore' }); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', leader], { detached: true, stdio: 'ignore' });
  child.unref();
  const pid = child.pid!;
  groups.push(pid);
  await waitUntilGone(async () => ((await liveGroupMembers(pid)).length === 2 ? [] : [pid]), 10_000);
  assert.equal((await liveGroupMembers(pid)).length, 2, 'the stand-in group has its leader and its worker');
  return { pid, startTime: (await readProcStat(pid))!.startTime };
}

async function writeRecord(dir: string, fields: Partial<ProcessRecord> & { pid: number | null; startTime: string | null }): Promise<void> {
  const record: ProcessRecord = {
    recordVersion: 1,
    attemptId: 'att_earlier',
    hostname: hostname(),
    bootId: await readBootId(),
    pgid: fields.pid,
    runner: { pid: 999_999_999, startTime: '1' },
    startedAt: new Date().toISOString(),
    ...fields,
  };
  await writeFile(join(dir, PROCESS_RECORD_FILE), JSON.stringify(record));
}

function collect(): { log: (line: string) => void; lines: string[] } {
  const lines: string[] = [];
  return { log: (line) => lines.push(line), lines };
}

describe('stopEarlierAttempt', { timeout: 60_000 }, () => {
  it('stops a framework group and an earlier runner that are still running, with SIGTERM', async () => {
    const dir = await outputDir();
    const framework = await sleepingGroup(false);
    const runner = await sleepingGroup(false);
    await writeRecord(dir, { ...framework, runner: { pid: runner.pid, startTime: runner.startTime } });
    const { log, lines } = collect();
    await stopEarlierAttempt(dir, { log, graceMs: 5_000 });
    assert.deepEqual(await liveGroupMembers(framework.pid), [], 'the framework group is gone');
    assert.equal((await readProcStat(runner.pid))?.state ?? 'gone', 'gone', 'the earlier runner is gone');
    assert.match(lines.join('\n'), /is still running .*sending SIGTERM/);
    assert.match(lines.at(-1)!, /^stopped the earlier attempt att_earlier/);
    assert.doesNotMatch(lines.join('\n'), /SIGKILL/);
  });

  it('SIGKILLs what ignores SIGTERM once the grace time is over', async () => {
    const dir = await outputDir();
    const framework = await sleepingGroup(true);
    await writeRecord(dir, framework);
    const { log, lines } = collect();
    const started = Date.now();
    await stopEarlierAttempt(dir, { log, graceMs: 500 });
    assert.deepEqual(await liveGroupMembers(framework.pid), []);
    assert.ok(Date.now() - started >= 500, 'SIGKILL came after the grace time');
    assert.match(lines.join('\n'), /still running after 0.5 s: sending SIGKILL/);
  });

  it('says so when the earlier attempt is gone already, and does nothing without a record', async () => {
    const dir = await outputDir();
    const framework = await sleepingGroup(false);
    signalGroup(framework.pid, 'SIGKILL');
    await waitUntilGone(() => liveGroupMembers(framework.pid), 5_000);
    await writeRecord(dir, framework);
    const { log, lines } = collect();
    await stopEarlierAttempt(dir, { log });
    assert.match(lines.join('\n'), /is no longer running/);

    const empty = collect();
    await stopEarlierAttempt(await outputDir(), { log: empty.log });
    assert.deepEqual(empty.lines, []);
  });

  it('leaves processes alone that it cannot be sure are the recorded ones', async () => {
    const framework = await sleepingGroup(false);

    const otherHost = await outputDir();
    await writeRecord(otherHost, { ...framework, hostname: `not-${hostname()}` });
    const remote = collect();
    await stopEarlierAttempt(otherHost, { log: remote.log });
    assert.match(remote.lines.join('\n'), /ran on host not-.*cannot be stopped from/);

    const reused = await outputDir();
    // The same pid with another start time: a new process that took the recorded pid over.
    await writeRecord(reused, { ...framework, startTime: `${framework.startTime}0` });
    const local = collect();
    await stopEarlierAttempt(reused, { log: local.log });
    assert.match(local.lines.join('\n'), /is no longer running/);

    const rebooted = await outputDir();
    await writeRecord(rebooted, { ...framework, bootId: 'another-boot' });
    const boot = collect();
    await stopEarlierAttempt(rebooted, { log: boot.log });
    assert.match(boot.lines.join('\n'), /before this host rebooted/);

    assert.equal((await liveGroupMembers(framework.pid)).length, 2, 'none of them signalled the group');
  });
});

describe('writeProcessRecord', { timeout: 10_000 }, () => {
  it('records this runner, then the framework group it started', async () => {
    const dir = await outputDir();
    const before = await writeProcessRecord(dir, 'att_1', null);
    assert.equal(before.pid, null);
    assert.equal(before.runner.pid, process.pid);
    assert.equal(before.runner.startTime, (await readProcStat(process.pid))!.startTime);
    await writeProcessRecord(dir, 'att_1', { pid: 1234, startTime: '42' });
    const read = await readProcessRecord(dir);
    assert.deepEqual([read?.pid, read?.pgid, read?.startTime, read?.hostname], [1234, 1234, '42', hostname()]);
  });
});
