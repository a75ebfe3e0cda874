import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TRPCClientError } from '@trpc/client';
import { PortInUseError } from '@ballast/daemon';
import { exitCodeFor } from './api-client.js';
import { EXIT } from './exit-codes.js';
import { describeFailure } from './failures.js';

/** A TRPCClientError as the client builds it from an API answer with this error code. */
function apiError(code: string, message = 'refused'): TRPCClientError<never> {
  return TRPCClientError.from({ error: { message, code: -32600, data: { code, httpStatus: 400 } } } as never);
}

describe('exit codes and messages of failures', { timeout: 10_000 }, () => {
  test("the API's input refusals exit 2, other API errors 1, no answer 3", () => {
    assert.equal(exitCodeFor(apiError('BAD_REQUEST')), EXIT.invalid);
    // How the API reports a mix workflow's non-retryable input failure (a malformed source).
    assert.equal(exitCodeFor(apiError('PRECONDITION_FAILED')), EXIT.invalid);
    assert.equal(exitCodeFor(apiError('NOT_FOUND')), EXIT.invalid);
    assert.equal(exitCodeFor(apiError('INTERNAL_SERVER_ERROR')), EXIT.failed);
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    assert.equal(exitCodeFor(TRPCClientError.from(new TypeError('fetch failed', { cause: refused }))), EXIT.unreachable);
  });

  test('a port collision names the setting that moves it, exits 2 and shows no stack', () => {
    const temporal = describeFailure(new PortInUseError('127.0.0.1', 7233, 'temporal.embeddedPort (BALLAST_TEMPORAL_PORT)'));
    assert.equal(temporal.exitCode, EXIT.invalid);
    assert.equal(temporal.text, 'port 7233 on 127.0.0.1 is taken by another process; set temporal.embeddedPort (BALLAST_TEMPORAL_PORT) to a free port');
    const listen = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:7300'), { code: 'EADDRINUSE', port: 7300, address: '127.0.0.1' });
    const api = describeFailure(listen);
    assert.equal(api.exitCode, EXIT.invalid);
    assert.match(api.text, /set api\.port \(BALLAST_API_PORT\)/);
    assert.doesNotMatch(api.text, /\n\s+at /, 'no stack trace');
  });

  test('an unexpected error keeps its stack but every line is escaped', () => {
    const failure = describeFailure(new Error('boom \x1b]0;pwned\x07'));
    assert.equal(failure.exitCode, EXIT.failed);
    assert.match(failure.text, /^ballast: Error: boom \\x1b\]0;pwned\\x07/);
    assert.doesNotMatch(failure.text, /\x1b|\x07/);
  });
});
