import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as mixing from '@ballast/mixing';
import { MIXING_INPUT_ERRORS, NON_RETRYABLE_ERROR_TYPES } from '@ballast/workflow-contract';

// The contract names the mixing engine's input errors as strings (workflow code cannot load the engine);
// this keeps those strings true to the engine's classes and codes.
test('the mixing input errors the retry policies list are real class names and codes of @ballast/mixing', { timeout: 5_000 }, () => {
  const classes = new Set(Object.entries(mixing).filter(([, v]) => typeof v === 'function').map(([k]) => k));
  for (const name of MIXING_INPUT_ERRORS.names) assert.ok(classes.has(name), `@ballast/mixing exports no ${name}`);
  const codes = new Set<string>(Object.values(mixing.MixingErrorCode));
  for (const code of MIXING_INPUT_ERRORS.codes) assert.ok(codes.has(code), `@ballast/mixing has no error code ${code}`);
  assert.ok(!NON_RETRYABLE_ERROR_TYPES.includes('MixAbortedError') && !NON_RETRYABLE_ERROR_TYPES.includes(mixing.MixingErrorCode.aborted), 'a cancelled mix is not an input error');
  assert.ok(NON_RETRYABLE_ERROR_TYPES.includes('ZodError'));
});
