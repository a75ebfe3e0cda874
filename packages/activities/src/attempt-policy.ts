import type { JobState, RetrySpec } from '@ballast/schema';

export interface AttemptSummary {
  readonly number: number;
  readonly state: string;
}

/** What to do next with a job, given its attempts so far. */
export type NextAttempt =
  | { readonly kind: 'done'; readonly number: number }
  | { readonly kind: 'continue'; readonly number: number }
  | { readonly kind: 'new'; readonly number: number; readonly reason: string }
  | { readonly kind: 'give-up'; readonly number: number; readonly reason: string };

const INFRASTRUCTURE: readonly string[] = ['PREEMPTED', 'LOST'] satisfies JobState[];

/**
 * The two retry policies, kept apart: an infrastructure failure (PREEMPTED, LOST) starts a new attempt
 * that resumes from the latest committed checkpoint, up to `infrastructureFailures` times; a program
 * failure (FAILED) is retried only `programFailures` times (default 0). A cancelled attempt is final.
 * An attempt still running is continued (adopted), never resubmitted; one that succeeded is done, and
 * its job is not asked about again (a backend that has since forgotten it must not turn it LOST).
 */
export function nextAttempt(attempts: readonly AttemptSummary[], retries: RetrySpec): NextAttempt {
  const latest = [...attempts].sort((a, b) => a.number - b.number).at(-1);
  if (!latest) return { kind: 'new', number: 1, reason: 'first attempt' };
  const count = (states: readonly string[]) => attempts.filter((a) => states.includes(a.state)).length;
  if (INFRASTRUCTURE.includes(latest.state)) {
    const lost = count(INFRASTRUCTURE);
    return lost <= retries.infrastructureFailures
      ? { kind: 'new', number: latest.number + 1, reason: `attempt ${latest.number} ended ${latest.state} (infrastructure failure ${lost} of at most ${retries.infrastructureFailures} retried)` }
      : { kind: 'give-up', number: latest.number, reason: `${lost} infrastructure failures; the limit is ${retries.infrastructureFailures}` };
  }
  if (latest.state === 'FAILED') {
    const failed = count(['FAILED']);
    return failed <= retries.programFailures
      ? { kind: 'new', number: latest.number + 1, reason: `attempt ${latest.number} FAILED (program failure ${failed} of at most ${retries.programFailures} retried)` }
      : {
          kind: 'give-up',
          number: latest.number,
          reason:
            retries.programFailures === 0
              ? 'program failures are not retried (backend.retries.programFailures is 0)'
              : `${failed} program failures; the limit is ${retries.programFailures}`,
        };
  }
  if (latest.state === 'CANCELLED') return { kind: 'give-up', number: latest.number, reason: 'the job was cancelled' };
  if (latest.state === 'SUCCEEDED') return { kind: 'done', number: latest.number };
  return { kind: 'continue', number: latest.number };
}
