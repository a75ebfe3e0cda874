import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { arms, experiments, jobAttempts, jobs, jobStateTransitions } from '../schema.js';

export type JobRow = typeof jobs.$inferSelect;
export type AttemptRow = typeof jobAttempts.$inferSelect;
export type TransitionRow = typeof jobStateTransitions.$inferSelect;

/** Creates the job for an idempotency key once; later calls return the existing row. */
export async function ensureJob(db: Db, row: typeof jobs.$inferInsert): Promise<JobRow> {
  await db.insert(jobs).values(row).onConflictDoNothing({ target: jobs.idempotencyKey });
  const rows = await db.select().from(jobs).where(eq(jobs.idempotencyKey, row.idempotencyKey));
  return rows[0]!;
}

export interface NewAttempt {
  readonly id: string;
  readonly jobId: string;
  readonly number: number;
  /** The key the backend holds (or will hold) the attempt's job under. */
  readonly idempotencyKey: string;
  /** For an attempt the backend started itself (a requeue): the job it re-ran and its restart count. */
  readonly backendJobId?: string;
  readonly backendRestarts?: number;
  readonly state?: string;
  readonly startedAt?: Date;
}

/** Creates attempt number `number` of a job once; a later call returns the existing row unchanged. */
export async function ensureAttempt(db: Db, row: NewAttempt): Promise<AttemptRow> {
  await db
    .insert(jobAttempts)
    .values({ ...row, state: row.state ?? 'QUEUED' })
    .onConflictDoNothing({ target: [jobAttempts.jobId, jobAttempts.number] });
  const rows = await db
    .select()
    .from(jobAttempts)
    .where(and(eq(jobAttempts.jobId, row.jobId), eq(jobAttempts.number, row.number)));
  return rows[0]!;
}

export interface AttemptObservation {
  readonly state: string;
  readonly detail?: string | null;
  readonly backendJobId?: string | null;
  readonly exitCode?: number | null;
  readonly startedAt?: Date | null;
  readonly endedAt?: Date | null;
  readonly resourceSeconds?: number;
  readonly gpuSeconds?: number;
  readonly cpuSeconds?: number;
}

const OPEN_STATES: readonly string[] = ['QUEUED', 'RUNNING'];

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * Records what a backend said about an attempt. A transition row is written only when the state
 * changes, so polling never floods the history. The job mirrors the state of its latest attempt only,
 * so news about an older attempt (a superseded one cancelled by reconciliation) never hides the current
 * one. With `onlyIfOpen`, an attempt already in a terminal state is left as it is: for writers working
 * from an older snapshot (reconciliation). Returns whether the attempt's state changed.
 */
export async function recordAttemptObservation(
  db: Db,
  attemptId: string,
  obs: AttemptObservation,
  options: { onlyIfOpen?: boolean } = {},
): Promise<boolean> {
  return await db.transaction(async (tx) => await applyObservation(tx, attemptId, obs, options.onlyIfOpen ?? false));
}

async function applyObservation(tx: Tx, attemptId: string, obs: AttemptObservation, onlyIfOpen: boolean): Promise<boolean> {
  const current = (await tx.select().from(jobAttempts).where(eq(jobAttempts.id, attemptId)).for('update'))[0];
  if (!current) throw new Error(`no attempt ${attemptId}`);
  if (onlyIfOpen && !OPEN_STATES.includes(current.state)) return false;
  const changed = current.state !== obs.state;
  const lastTransition = (await tx.select().from(jobStateTransitions).where(eq(jobStateTransitions.attemptId, attemptId)).limit(1))[0];
  await tx
    .update(jobAttempts)
    .set({
      state: obs.state,
      ...(obs.detail !== undefined ? { detail: obs.detail } : {}),
      ...(obs.backendJobId ? { backendJobId: obs.backendJobId } : {}),
      ...(obs.exitCode !== undefined ? { exitCode: obs.exitCode } : {}),
      ...(obs.startedAt ? { startedAt: obs.startedAt } : {}),
      ...(obs.endedAt ? { endedAt: obs.endedAt } : {}),
      ...(obs.resourceSeconds !== undefined ? { resourceSeconds: obs.resourceSeconds } : {}),
      ...(obs.gpuSeconds !== undefined ? { gpuSeconds: obs.gpuSeconds } : {}),
      ...(obs.cpuSeconds !== undefined ? { cpuSeconds: obs.cpuSeconds } : {}),
      // A backend that answered is reachable again.
      unreachableSince: null,
      unreachableDetail: null,
    })
    .where(eq(jobAttempts.id, attemptId));
  if (changed || !lastTransition) {
    await tx.insert(jobStateTransitions).values({ attemptId, state: obs.state, detail: obs.detail ?? null });
  }
  const latest = (
    await tx.select({ number: jobAttempts.number }).from(jobAttempts).where(eq(jobAttempts.jobId, current.jobId)).orderBy(desc(jobAttempts.number)).limit(1)
  )[0];
  if (latest?.number === current.number) {
    await tx.update(jobs).set({ state: obs.state, updatedAt: new Date() }).where(eq(jobs.id, current.jobId));
  }
  return changed;
}

/**
 * The backend re-ran a job under the same id (Slurm's requeue): in one transaction, the next attempt
 * is created under the same key and the previous one is closed with `closing` (PREEMPTED). A crash can
 * therefore never leave the previous attempt closed without its successor, which would make a retry
 * resubmit instead of following the re-run.
 */
export async function recordBackendRerun(db: Db, previousId: string, closing: AttemptObservation, next: NewAttempt): Promise<AttemptRow> {
  return await db.transaction(async (tx) => {
    await tx
      .insert(jobAttempts)
      .values({ ...next, state: next.state ?? 'QUEUED' })
      .onConflictDoNothing({ target: [jobAttempts.jobId, jobAttempts.number] });
    await applyObservation(tx, previousId, closing, false);
    const rows = await tx.select().from(jobAttempts).where(and(eq(jobAttempts.jobId, next.jobId), eq(jobAttempts.number, next.number)));
    return rows[0]!;
  });
}

export async function getJob(db: Db, id: string): Promise<JobRow | null> {
  return (await db.select().from(jobs).where(eq(jobs.id, id)))[0] ?? null;
}

export async function listJobsForExperiment(db: Db, experimentId: string): Promise<JobRow[]> {
  const rows = await db
    .select({ job: jobs })
    .from(jobs)
    .innerJoin(arms, eq(arms.id, jobs.armId))
    .where(eq(arms.experimentId, experimentId))
    .orderBy(asc(jobs.createdAt));
  return rows.map((r) => r.job);
}

export async function listAttempts(db: Db, jobIds: string[]): Promise<AttemptRow[]> {
  if (jobIds.length === 0) return [];
  return await db.select().from(jobAttempts).where(inArray(jobAttempts.jobId, jobIds)).orderBy(asc(jobAttempts.number));
}

export async function listTransitions(db: Db, attemptIds: string[]): Promise<TransitionRow[]> {
  if (attemptIds.length === 0) return [];
  return await db
    .select()
    .from(jobStateTransitions)
    .where(inArray(jobStateTransitions.attemptId, attemptIds))
    .orderBy(asc(jobStateTransitions.id));
}

export async function latestAttempt(db: Db, jobId: string): Promise<AttemptRow | null> {
  return (await db.select().from(jobAttempts).where(eq(jobAttempts.jobId, jobId)).orderBy(desc(jobAttempts.number)).limit(1))[0] ?? null;
}

/**
 * Records that the backend could not be asked about an attempt (first time: since now), or, with null,
 * that it answers again. Never changes the attempt's state: unreachable says nothing about the job.
 */
export async function recordReachability(db: Db, attemptId: string, unreachable: { detail: string } | null): Promise<void> {
  if (unreachable) {
    await db
      .update(jobAttempts)
      .set({ unreachableSince: sql`coalesce(${jobAttempts.unreachableSince}, now())`, unreachableDetail: unreachable.detail })
      .where(eq(jobAttempts.id, attemptId));
  } else {
    await db.update(jobAttempts).set({ unreachableSince: null, unreachableDetail: null }).where(eq(jobAttempts.id, attemptId));
  }
}

export async function listAttemptsOfJob(db: Db, jobId: string): Promise<AttemptRow[]> {
  return await db.select().from(jobAttempts).where(eq(jobAttempts.jobId, jobId)).orderBy(asc(jobAttempts.number));
}

/** The latest attempt recorded under a backend key (a requeue adds attempts under the same key). */
export async function attemptByKey(db: Db, idempotencyKey: string): Promise<{ attempt: AttemptRow; job: JobRow } | null> {
  const rows = await db
    .select({ attempt: jobAttempts, job: jobs })
    .from(jobAttempts)
    .innerJoin(jobs, eq(jobs.id, jobAttempts.jobId))
    .where(eq(jobAttempts.idempotencyKey, idempotencyKey))
    .orderBy(desc(jobAttempts.number))
    .limit(1);
  return rows[0] ?? null;
}

/** Attempts not yet in a terminal state, with their job and experiment. */
export async function listOpenAttempts(db: Db): Promise<{ attempt: AttemptRow; job: JobRow; experimentId: string }[]> {
  return await db
    .select({ attempt: jobAttempts, job: jobs, experimentId: arms.experimentId })
    .from(jobAttempts)
    .innerJoin(jobs, eq(jobs.id, jobAttempts.jobId))
    .innerJoin(arms, eq(arms.id, jobs.armId))
    .where(inArray(jobAttempts.state, ['QUEUED', 'RUNNING']))
    .orderBy(asc(jobAttempts.createdAt));
}

export interface ArmUsage {
  readonly armId: string;
  readonly gpuSeconds: number;
  readonly cpuSeconds: number;
}

/**
 * GPU- and CPU-seconds per arm over every attempt of every job, preempted ones included. An attempt
 * still running is charged up to now (its stored figures are only updated when its state changes).
 */
export async function usageByArm(db: Db, armIds: string[]): Promise<ArmUsage[]> {
  if (armIds.length === 0) return [];
  const running = sql`${jobAttempts.state} = 'RUNNING' and ${jobAttempts.endedAt} is null and ${jobAttempts.startedAt} is not null`;
  const elapsed = sql`extract(epoch from (now() - ${jobAttempts.startedAt}))`;
  return await db
    .select({
      armId: jobs.armId,
      gpuSeconds: sql<number>`coalesce(sum(case when ${running} then ${elapsed} * ${jobs.gpus} else ${jobAttempts.gpuSeconds} end), 0)::float8`,
      cpuSeconds: sql<number>`coalesce(sum(case when ${running} then ${elapsed} * ${jobs.cpus} else ${jobAttempts.cpuSeconds} end), 0)::float8`,
    })
    .from(jobAttempts)
    .innerJoin(jobs, eq(jobs.id, jobAttempts.jobId))
    .where(inArray(jobs.armId, armIds))
    .groupBy(jobs.armId);
}

/** One attempt's GPU- and CPU-seconds, a running one charged up to `now` (as usageByArm does). */
export function attemptUsage(attempt: AttemptRow, job: Pick<JobRow, 'gpus' | 'cpus'>, now = Date.now()): { gpuSeconds: number; cpuSeconds: number } {
  if (attempt.state === 'RUNNING' && attempt.startedAt && !attempt.endedAt) {
    const seconds = Math.max(0, (now - attempt.startedAt.getTime()) / 1000);
    return { gpuSeconds: seconds * job.gpus, cpuSeconds: seconds * job.cpus };
  }
  return { gpuSeconds: attempt.gpuSeconds, cpuSeconds: attempt.cpuSeconds };
}

export async function getAttempt(db: Db, id: string): Promise<AttemptRow | null> {
  return (await db.select().from(jobAttempts).where(eq(jobAttempts.id, id)))[0] ?? null;
}

/**
 * Measured cost of earlier work with this trainer framework, for a dry run's estimate: GPU- and
 * CPU-seconds per training record over finished training jobs, and per finished evaluation job.
 * Null rates where nothing has finished yet.
 */
export async function measuredRates(db: Db, framework: string): Promise<{
  train: { gpuSecondsPerRecord: number; cpuSecondsPerRecord: number; jobs: number } | null;
  eval: { gpuSecondsPerJob: number; cpuSecondsPerJob: number; jobs: number } | null;
}> {
  const sameFramework = sql`${experiments.resolvedSpec} -> 'spec' -> 'trainer' ->> 'framework' = ${framework}`;
  const perKind = async (kind: string) => {
    const finished = and(eq(jobs.kind, kind), eq(jobs.state, 'SUCCEEDED'), sameFramework);
    const usage = (
      await db
        .select({
          gpuSeconds: sql<number>`coalesce(sum(${jobAttempts.gpuSeconds}), 0)::float8`,
          cpuSeconds: sql<number>`coalesce(sum(${jobAttempts.cpuSeconds}), 0)::float8`,
        })
        .from(jobs)
        .innerJoin(jobAttempts, eq(jobAttempts.jobId, jobs.id))
        .innerJoin(arms, eq(arms.id, jobs.armId))
        .innerJoin(experiments, eq(experiments.id, arms.experimentId))
        .where(finished)
    )[0]!;
    const counted = (
      await db
        .select({ jobs: sql<number>`count(*)::int`, records: sql<number>`coalesce(sum(${arms.recordsSeen}), 0)::float8` })
        .from(jobs)
        .innerJoin(arms, eq(arms.id, jobs.armId))
        .innerJoin(experiments, eq(experiments.id, arms.experimentId))
        .where(finished)
    )[0]!;
    return { ...usage, ...counted };
  };
  const train = await perKind('train');
  const evals = await perKind('eval');
  return {
    train: train.jobs > 0 && train.records > 0 ? { gpuSecondsPerRecord: train.gpuSeconds / train.records, cpuSecondsPerRecord: train.cpuSeconds / train.records, jobs: train.jobs } : null,
    eval: evals.jobs > 0 ? { gpuSecondsPerJob: evals.gpuSeconds / evals.jobs, cpuSecondsPerJob: evals.cpuSeconds / evals.jobs, jobs: evals.jobs } : null,
  };
}
