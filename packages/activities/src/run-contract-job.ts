import { ApplicationFailure } from '@temporalio/common';
import { fileURLToPath } from 'node:url';
import { latestAttempt, type JobRow } from '@ballast/db';
import { CONTRACT_ENV, CONTRACT_VERSION, type JobState } from '@ballast/schema';
import type { SubmitRequest } from '@ballast/backends';
import type { ActivityDeps } from './deps.js';
import { derivedId } from './hashing.js';
import { failureMessage, isInfrastructureFailure, runAttempt, type TerminalObservation } from './run-job.js';

/** How many times an infrastructure failure (PREEMPTED, LOST) is answered with a new attempt. */
const MAX_INFRA_ATTEMPTS = 5;

export interface ContractJobOptions {
  readonly job: JobRow;
  /** Names the job in errors, e.g. "training job job_… (arm 'baseline')". */
  readonly description: string;
  /** Absolute path of the program, run with this Node. */
  readonly program: string;
  readonly specUri: string;
  readonly seed: number;
  /** Training: 'auto', so a new attempt resumes from the latest committed checkpoint. */
  readonly resumeFrom?: 'auto';
  readonly resources: SubmitRequest['resources'];
  readonly onPoll?: (observation: TerminalObservation) => Promise<void>;
}

/**
 * Runs a job-contract program to success: continues the job's latest attempt (adopting it if it still
 * runs), starts a new attempt after an infrastructure failure, and fails for good on a program failure,
 * with the exit code and the log tail in the message. Returns the number of the attempt that succeeded.
 */
export async function runContractJob(deps: ActivityDeps, options: ContractJobOptions): Promise<number> {
  const { job } = options;
  const previous = await latestAttempt(deps.db, job.id);
  let attemptNumber = previous ? previous.number + (isInfrastructureFailure(previous.state as JobState) ? 1 : 0) : 1;
  for (;;) {
    const obs = await runAttempt(deps, {
      job,
      attemptNumber,
      request: {
        command: [process.execPath, options.program],
        env: {
          [CONTRACT_ENV.version]: CONTRACT_VERSION,
          [CONTRACT_ENV.jobId]: job.id,
          [CONTRACT_ENV.attemptId]: derivedId('attempt', job.id, String(attemptNumber)),
          [CONTRACT_ENV.jobSpec]: fileURLToPath(options.specUri),
          [CONTRACT_ENV.outputDir]: job.outputDir,
          [CONTRACT_ENV.seed]: String(options.seed),
          ...(options.resumeFrom ? { [CONTRACT_ENV.resumeFrom]: options.resumeFrom } : {}),
        },
        cwd: job.outputDir,
        outputDir: job.outputDir,
        resources: options.resources,
      },
      ...(options.onPoll ? { onPoll: options.onPoll } : {}),
    });
    if (obs.state === 'SUCCEEDED') return attemptNumber;
    if (isInfrastructureFailure(obs.state) && attemptNumber < MAX_INFRA_ATTEMPTS) {
      deps.log('warn', 'attempt lost to the infrastructure; starting a new one', { jobId: job.id, attempt: attemptNumber, state: obs.state });
      attemptNumber += 1;
      continue;
    }
    throw ApplicationFailure.nonRetryable(failureMessage(options.description, obs), `Job${obs.state}`);
  }
}
