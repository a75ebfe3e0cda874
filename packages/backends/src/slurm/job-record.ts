/**
 * Reading Slurm's key=value job records: a line of `scontrol -o show job`, or a line of the
 * jobcomp/filetxt completion log. Only fields whose values Ballast controls or Slurm formats without
 * spaces are read, and always their first occurrence, which Slurm prints before any free-text field.
 */
export interface SlurmJobRecord {
  jobId: string;
  jobName: string;
  state: string;
  reason?: string;
  exitCode?: string;
  restarts?: number;
  startTime?: string;
  endTime?: string;
  comment?: string;
  /** Where it came from: the controller, or the completion log after the controller forgot the job. */
  source: 'scontrol' | 'jobcomp';
}

export function field(line: string, key: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${key}=(\\S*)`).exec(line);
  return match?.[1];
}

/** The record for `jobId` in `scontrol -o show job` output (one line per job; arrays print several). */
export function parseScontrolJob(stdout: string, jobId: string): SlurmJobRecord | null {
  for (const line of stdout.split('\n')) {
    if (field(line, 'JobId') !== jobId) continue;
    const restarts = field(line, 'Restarts');
    return {
      jobId,
      jobName: field(line, 'JobName') ?? '',
      state: field(line, 'JobState') ?? 'UNKNOWN',
      reason: field(line, 'Reason'),
      exitCode: field(line, 'ExitCode'),
      restarts: restarts === undefined ? undefined : Number(restarts),
      startTime: field(line, 'StartTime'),
      endTime: field(line, 'EndTime'),
      comment: field(line, 'Comment'),
      source: 'scontrol',
    };
  }
  return null;
}

/** One jobcomp/filetxt line. A requeued job has one line per run; the caller keeps the last. */
export function parseJobcompLine(line: string): SlurmJobRecord | null {
  const jobId = field(line, 'JobId');
  const state = field(line, 'JobState');
  if (!jobId || !state) return null;
  return {
    jobId,
    jobName: field(line, 'Name') ?? '',
    state,
    exitCode: field(line, 'ExitCode'),
    startTime: field(line, 'StartTime'),
    endTime: field(line, 'EndTime'),
    source: 'jobcomp',
  };
}

/** The last completion record of each job in a jobcomp log, keyed by job id. */
export function parseJobcompLog(text: string): Map<string, SlurmJobRecord> {
  const records = new Map<string, SlurmJobRecord>();
  for (const line of text.split('\n')) {
    const record = parseJobcompLine(line);
    if (record) records.set(record.jobId, record);
  }
  return records;
}

/** Slurm prints local times without a zone (`2026-11-28T09:10:11`), or Unknown/None/N/A. */
export function slurmTimeToIso(value: string | undefined): string | undefined {
  if (!value || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(value)) return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}
