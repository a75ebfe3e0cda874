/** Stable codes for the errors the output writers throw. */
export const OutputErrorCode = {
  invalidRecord: 'MIX_OUTPUT_INVALID_RECORD',
  outputExists: 'MIX_OUTPUT_EXISTS',
  writerMisuse: 'MIX_OUTPUT_WRITER_MISUSE',
} as const;
export type OutputErrorCode = (typeof OutputErrorCode)[keyof typeof OutputErrorCode];

/** Base class: every error the output writers throw carries a stable `code`. */
export abstract class OutputError extends Error {
  abstract readonly code: OutputErrorCode;
}

/** Thrown when a record lacks what a trainer format needs (messages, a user turn, tags). */
export class OutputRecordError extends OutputError {
  readonly code = OutputErrorCode.invalidRecord;
  constructor(
    readonly format: string,
    readonly recordId: string | undefined,
    readonly reason: string,
  ) {
    super(`cannot write record ${recordId === undefined ? '(no id)' : `'${recordId}'`} as ${format}: ${reason}`);
    this.name = 'OutputRecordError';
  }
}

/** Thrown when publishing onto a final directory that already exists. */
export class OutputExistsError extends OutputError {
  readonly code = OutputErrorCode.outputExists;
  constructor(readonly finalDir: string) {
    super(`output directory ${finalDir} already exists; a published output set is never overwritten`);
    this.name = 'OutputExistsError';
  }
}

/** Thrown when a writer is used out of order: overlapping writes, or a write after finish or abort. */
export class OutputWriterMisuseError extends OutputError {
  readonly code = OutputErrorCode.writerMisuse;
  constructor(readonly reason: string) {
    super(`output writer misuse: ${reason}`);
    this.name = 'OutputWriterMisuseError';
  }
}
