import { ConfigError, terminalLines, terminalText } from '@ballast/config';
import { CliExit, EXIT } from './exit-codes.js';

// Errors whose message is the whole story for the operator (a setting to change, a log to read): shown
// without a stack trace. Codes, not classes, so the packages that throw them (the server, the embedded
// services) are not loaded by commands that never start them.
const SETTING_CODES = new Set(['PORT_IN_USE', 'API_ALLOWED_HOST_INVALID', 'POSTGRES_DIR_NOT_REACHABLE', 'SERVER_ALREADY_RUNNING', 'ROLE_NEEDS_EXTERNAL_SERVICES']);
const OPERATIONAL_CODES = new Set(['SERVICE_START_TIMEOUT']);

/**
 * What `ballast` prints and exits with for an error that ended a command: the message alone for the
 * failures a user can act on (2 for input and settings), the stack only for what is a bug. Either way
 * escaped, since messages may quote a spec, a dataset line or an API answer.
 */
export function describeFailure(error: unknown): { exitCode: number; text: string } {
  if (error instanceof CliExit) return { exitCode: error.exitCode, text: terminalLines(error.message) };
  if (error instanceof ConfigError) {
    return { exitCode: EXIT.invalid, text: terminalLines(error.message) };
  }
  const e = error as { code?: unknown; message?: unknown; port?: unknown; address?: unknown };
  if (typeof e.code === 'string' && SETTING_CODES.has(e.code)) return { exitCode: EXIT.invalid, text: terminalText(String(e.message)) };
  if (typeof e.code === 'string' && OPERATIONAL_CODES.has(e.code)) return { exitCode: EXIT.failed, text: terminalText(String(e.message)) };
  // Only the API listens in this process (Temporal and PostgreSQL are child processes with their own checks).
  if (e.code === 'EADDRINUSE') {
    const where = `${String(e.port ?? '?')} on ${String(e.address ?? '?')}`;
    return { exitCode: EXIT.invalid, text: terminalText(`port ${where} is taken by another process; set api.port (BALLAST_API_PORT) to a free port`) };
  }
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' || e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    return { exitCode: EXIT.invalid, text: terminalText(String(e.message)) };
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return { exitCode: EXIT.failed, text: `ballast: ${terminalLines(detail)}` };
}
