import { CONTRACT_ENV, CONTRACT_EXIT, CONTRACT_VERSION } from '@ballast/schema';
import { readContractEnv, type ContractEnv } from './env.js';
import { ContractInputError } from './errors.js';
import { writeStatusFile } from './status.js';

export type Progress = Record<string, number>;

export interface ContractProgramContext {
  readonly env: ContractEnv;
  /** Records progress as the job goes, so a failure's status.json still says how far it got. */
  setProgress(progress: Progress): void;
}

export interface ContractProgramOptions {
  /** Stamped into status.json: true for the SIMULATED reference workload. */
  readonly simulated: boolean;
  readonly env?: NodeJS.ProcessEnv;
  /** Where failures are reported for humans (the job's log); defaults to stderr. */
  readonly log?: (line: string) => void;
}

/**
 * Runs a job program's body under the contract: reads the env, maps the outcome to an exit code
 * (bad input 2, any other error 1, success 0), writes status.json whenever OUTPUT is known, and sets
 * `process.exitCode` rather than calling `process.exit`, so pending writes finish.
 */
export async function runContractProgram(
  main: (ctx: ContractProgramContext) => Promise<{ progress: Progress }>,
  options: ContractProgramOptions,
): Promise<number> {
  const rawEnv = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let progress: Progress = {};
  let env: ContractEnv | null = null;
  let outcome: 'succeeded' | 'failed' | 'bad_input';
  let exitCode: number;
  let message: string | undefined;
  try {
    env = readContractEnv(rawEnv);
    const ctx: ContractProgramContext = { env, setProgress: (p) => (progress = { ...p }) };
    progress = (await main(ctx)).progress;
    outcome = 'succeeded';
    exitCode = CONTRACT_EXIT.success;
  } catch (err) {
    const bad = err instanceof ContractInputError;
    outcome = bad ? 'bad_input' : 'failed';
    exitCode = bad ? CONTRACT_EXIT.badInput : CONTRACT_EXIT.programError;
    message = err instanceof Error ? err.message : String(err);
    // Bad input is the user's to fix and needs no stack; a program error is ours and does.
    log(bad ? `bad input: ${message}` : `program error: ${err instanceof Error ? (err.stack ?? message) : message}`);
  }
  // Even when the env was bad, OUTPUT may still be usable; the platform then learns why from status.json.
  const outputDir = env?.outputDir ?? nonEmpty(rawEnv[CONTRACT_ENV.outputDir]);
  if (outputDir !== undefined) {
    try {
      await writeStatusFile(outputDir, {
        contractVersion: CONTRACT_VERSION,
        jobId: env?.jobId ?? nonEmpty(rawEnv[CONTRACT_ENV.jobId]) ?? 'unknown',
        attemptId: env?.attemptId ?? nonEmpty(rawEnv[CONTRACT_ENV.attemptId]) ?? 'unknown',
        outcome,
        exitCode,
        ...(message === undefined ? {} : { message }),
        progress,
        finishedAt: new Date().toISOString(),
        simulated: options.simulated,
      });
    } catch (err) {
      log(`could not write status.json: ${(err as Error).message}`);
      if (exitCode === CONTRACT_EXIT.success) exitCode = CONTRACT_EXIT.programError;
    }
  }
  process.exitCode = exitCode;
  return exitCode;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v;
}
