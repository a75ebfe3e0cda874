import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { workflowIds } from '@ballast/workflow-contract';
import { mixPreviewWorkflow } from './mix-workflows.js';
import { startTestEnvironment, testWorker } from './testing/test-environment.js';

describe('mix workflows (local Temporal, mocked activities)', { timeout: 120_000 }, () => {
  let env: TestWorkflowEnvironment;
  before(async () => {
    env = await startTestEnvironment();
  });
  after(async () => {
    await env?.teardown();
  });

  // Thrown as the engine and zod throw them: errors whose class name becomes the failure type.
  class MalformedSourceError extends Error {}
  class ZodError extends Error {}
  for (const ErrorClass of [MalformedSourceError, ZodError]) {
    const name = ErrorClass.name;
    it(`does not retry a preview that failed with ${name}: the input will not change`, { timeout: 30_000 }, async () => {
      let attempts = 0;
      const { worker, taskQueue } = await testWorker(env, {
        previewStandaloneMix: async () => {
          attempts += 1;
          throw new ErrorClass("source 'traits' line 3 is not JSON");
        },
      });
      const failure = await worker
        .runUntil(env.client.workflow.execute(mixPreviewWorkflow, { taskQueue, workflowId: workflowIds.mixPreview(`${name}-${Date.now()}`), args: [{ spec: {} }] }))
        .then(
          () => assert.fail('the preview must fail'),
          (e: unknown) => e,
        );
      assert.ok(failure instanceof WorkflowFailedError && failure.cause instanceof ActivityFailure, String(failure));
      assert.ok(failure.cause.cause instanceof ApplicationFailure && failure.cause.cause.type === name, String(failure.cause.cause));
      assert.equal(attempts, 1, 'one attempt, no retries');
    });
  }
});
