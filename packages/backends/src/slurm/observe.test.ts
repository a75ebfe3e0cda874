import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseJobcompLog, parseScontrolJob } from './job-record.js';
import type { SlurmJobRecord } from './job-record.js';
import { keyComment, keyFromComment, slurmJobName } from './layout.js';
import { observeRecord } from './observe.js';

const tail = () => Promise.resolve(['last line']);
const record = (state: string, extra: Partial<SlurmJobRecord> = {}): SlurmJobRecord => ({
  jobId: '7',
  jobName: 'ballast-x',
  state,
  exitCode: '0:0',
  startTime: '2026-01-02T03:04:05',
  endTime: '2026-01-02T03:05:05',
  source: 'scontrol',
  ...extra,
});

test('Slurm states map onto Ballast states, program failures apart from infrastructure ones', { timeout: 10_000 }, async () => {
  const cases: [string, string, string | undefined][] = [
    ['PENDING', 'QUEUED', undefined],
    ['CONFIGURING', 'QUEUED', 'nodes are being configured'],
    ['RUNNING', 'RUNNING', undefined],
    ['COMPLETING', 'RUNNING', 'completing'],
    ['COMPLETED', 'SUCCEEDED', undefined],
    ['TIMEOUT', 'FAILED', 'reached its time limit; exited with code 0'],
    ['OUT_OF_MEMORY', 'FAILED', 'ran out of memory; exited with code 0'],
    ['NODE_FAIL', 'PREEMPTED', 'its node failed'],
    ['BOOT_FAIL', 'PREEMPTED', 'its node failed to boot'],
    ['PREEMPTED', 'PREEMPTED', 'preempted by Slurm'],
    ['CANCELLED', 'CANCELLED', undefined],
    ['REQUEUED', 'QUEUED', 'requeued by Slurm'],
    ['SOMETHING_NEW', 'QUEUED', 'unrecognised Slurm state SOMETHING_NEW'],
  ];
  for (const [slurmState, state, detail] of cases) {
    const observed = await observeRecord(record(slurmState), tail);
    assert.ok(observed.kind === 'state');
    assert.equal(observed.state, state, slurmState);
    assert.equal(observed.detail, detail, slurmState);
  }
});

test('exit codes, signals, times and requeues are read from the record', { timeout: 10_000 }, async () => {
  const failed = await observeRecord(record('FAILED', { exitCode: '2:0' }), tail);
  assert.deepEqual(failed, {
    kind: 'state',
    state: 'FAILED',
    exitCode: 2,
    detail: 'exited with code 2',
    logTail: ['last line'],
    startedAt: new Date('2026-01-02T03:04:05').toISOString(),
    endedAt: new Date('2026-01-02T03:05:05').toISOString(),
  });
  const signalled = await observeRecord(record('FAILED', { exitCode: '0:9' }), tail);
  assert.ok(signalled.kind === 'state' && signalled.exitCode === undefined && signalled.detail === 'killed by signal 9');
  const requeued = await observeRecord(record('PENDING', { restarts: 2, reason: 'BeginTime', startTime: 'Unknown' }), tail);
  assert.deepEqual(requeued, { kind: 'state', state: 'QUEUED', detail: 'requeued 2 time(s); reason: BeginTime', restarts: 2 });
  const running = await observeRecord(record('RUNNING', { endTime: '2026-01-02T04:04:05' }), tail);
  assert.ok(running.kind === 'state' && running.startedAt && running.endedAt === undefined, 'a running job has no end yet');
});

test('only the first occurrence of each field counts, so free text later in the line cannot forge one', { timeout: 10_000 }, () => {
  const line =
    'JobId=12 JobName=ballast-a-1 UserId=root(0) JobState=RUNNING Reason=None Restarts=0 ExitCode=0:0 ' +
    'StartTime=2026-01-02T03:04:05 EndTime=Unknown Command=/s/batch.sh /usr/bin/node /r.js /x JobState=COMPLETED WorkDir=/w';
  const parsed = parseScontrolJob(`${line}\n`, '12');
  assert.equal(parsed?.state, 'RUNNING');
  assert.equal(parsed?.jobName, 'ballast-a-1');
  assert.equal(parseScontrolJob(line, '1'), null);

  const log = [
    'JobId=5 UserId=root(0) GroupId=root(0) Name=ballast-b-2 JobState=REQUEUED Partition=debug StartTime=2026-01-02T03:04:05 EndTime=2026-01-02T03:04:09 ExitCode=0:0',
    'JobId=5 UserId=root(0) GroupId=root(0) Name=ballast-b-2 JobState=COMPLETED Partition=debug StartTime=2026-01-02T03:05:05 EndTime=2026-01-02T03:06:09 ExitCode=0:0',
    'garbage',
  ].join('\n');
  assert.equal(parseJobcompLog(log).get('5')?.state, 'COMPLETED', 'the last record of a requeued job wins');
});

test('job names are shell- and filter-safe and distinct per key; comments carry the exact key', { timeout: 10_000 }, () => {
  const key = "a/b $(x) `y` 'z' \n JobState=COMPLETED";
  assert.match(slurmJobName(key), /^ballast-[A-Za-z0-9._-]+$/);
  assert.notEqual(slurmJobName('a/b'), slurmJobName('a_b'));
  assert.match(keyComment(key), /^ballast-key:[A-Za-z0-9_-]+$/);
  assert.equal(keyFromComment(keyComment(key)), key);
  assert.equal(keyFromComment('someone else'), null);
});
