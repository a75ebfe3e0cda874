import { formatFieldIssues, type FieldIssue } from '@ballast/schema';

/** Thrown when the platform handed a job bad input: a missing or malformed env variable or spec file. */
export class ContractInputError extends Error {
  readonly code = 'CONTRACT_INPUT';
  override readonly name = 'ContractInputError';

  private constructor(
    message: string,
    /** The env variable or file the problem is in. */
    readonly source: string,
    readonly issues: readonly FieldIssue[],
  ) {
    super(message);
  }

  static badEnv(variable: string, problem: string): ContractInputError {
    return new ContractInputError(`${variable}: ${problem}`, variable, [{ path: variable, message: problem }]);
  }

  static badFile(path: string, issues: readonly FieldIssue[]): ContractInputError {
    return new ContractInputError(`invalid ${path}:\n${formatFieldIssues(issues)}`, path, issues);
  }
}
