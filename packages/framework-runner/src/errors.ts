/** Stable codes for every failure the runner reports as a program error (exit 1). Bad input is a ContractInputError (exit 2). */
export const RUNNER_ERROR_CODES = {
  /** The framework exited non-zero or was killed by a signal. */
  frameworkFailed: 'RUNNER_FRAMEWORK_FAILED',
  /** The framework exited 0, but its last complete checkpoint is not the spec's final step. */
  stepsShort: 'RUNNER_STEPS_SHORT',
  /** The runner was asked to stop (SIGTERM, SIGINT) and stopped the framework. */
  terminated: 'RUNNER_TERMINATED',
  /** The checkpoint to resume from points at a native checkpoint whose files changed since it was committed. */
  nativeChanged: 'RUNNER_NATIVE_CHANGED',
  /** The checkpoint to resume from has no usable native.json, or one made by another framework. */
  nativeReferenceMissing: 'RUNNER_NATIVE_REFERENCE_MISSING',
  /** An earlier attempt's processes on this host survived SIGKILL. */
  earlierAttemptAlive: 'RUNNER_EARLIER_ATTEMPT_ALIVE',
  /** Converting a native checkpoint to a Hugging Face directory failed. */
  conversionFailed: 'RUNNER_CONVERSION_FAILED',
} as const;
export type RunnerErrorCode = (typeof RUNNER_ERROR_CODES)[keyof typeof RUNNER_ERROR_CODES];

/** Thrown when the framework run cannot go on or did not reach its end; the message is what the job's status says. */
export class FrameworkRunnerError extends Error {
  override readonly name = 'FrameworkRunnerError';

  private constructor(
    readonly code: RunnerErrorCode,
    message: string,
  ) {
    super(message);
  }

  static frameworkFailed(how: string, stderrTail: readonly string[]): FrameworkRunnerError {
    const tail = stderrTail.length > 0 ? `; its last stderr lines:\n${stderrTail.join('\n')}` : '; it wrote nothing to stderr';
    return new FrameworkRunnerError(RUNNER_ERROR_CODES.frameworkFailed, `the framework ${how}${tail}`);
  }

  static stepsShort(lastStep: number | null, steps: number): FrameworkRunnerError {
    const last = lastStep === null ? 'no complete checkpoint' : `its last complete checkpoint is step ${lastStep}`;
    return new FrameworkRunnerError(
      RUNNER_ERROR_CODES.stepsShort,
      `the framework exited 0, but ${last} while the spec asks for ${steps} steps; the framework must save a checkpoint at its final step`,
    );
  }

  static terminated(signal: string): FrameworkRunnerError {
    return new FrameworkRunnerError(RUNNER_ERROR_CODES.terminated, `the runner received ${signal} and stopped the framework`);
  }

  static nativeChanged(step: number, nativePath: string, problems: readonly string[]): FrameworkRunnerError {
    return new FrameworkRunnerError(
      RUNNER_ERROR_CODES.nativeChanged,
      `cannot resume from checkpoint step ${step}: its native checkpoint ${nativePath} changed since it was committed, and training on top of it would not continue the recorded run:\n${problems.join('\n')}`,
    );
  }

  static nativeReferenceMissing(step: number, why: string): FrameworkRunnerError {
    return new FrameworkRunnerError(RUNNER_ERROR_CODES.nativeReferenceMissing, `cannot resume from checkpoint step ${step}: ${why}`);
  }

  static earlierAttemptAlive(pids: readonly number[]): FrameworkRunnerError {
    return new FrameworkRunnerError(
      RUNNER_ERROR_CODES.earlierAttemptAlive,
      `processes ${pids.join(', ')} of an earlier attempt are still running after SIGKILL; they would write into the same native checkpoints`,
    );
  }

  static conversionFailed(step: number, why: string): FrameworkRunnerError {
    return new FrameworkRunnerError(RUNNER_ERROR_CODES.conversionFailed, `converting native checkpoint step ${step} to a Hugging Face directory failed: ${why}`);
  }
}
