/** `ballast` exit codes. */
export const EXIT = {
  ok: 0,
  /** The experiment (or command) ran and failed. */
  failed: 1,
  /** Bad input: an invalid spec, flag, id or setting, or a source the workers refused. Nothing was started. */
  invalid: 2,
  /** The API could not be reached. */
  unreachable: 3,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Thrown to end a command with a message and an exit code. */
export class CliExit extends Error {
  readonly code = 'CLI_EXIT';
  constructor(readonly exitCode: number, message: string) {
    super(message);
    this.name = 'CliExit';
  }
}
