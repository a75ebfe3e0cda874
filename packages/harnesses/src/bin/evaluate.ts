#!/usr/bin/env node
/**
 * Real-harness evaluator (inspect_ai, lm-eval), speaking the job contract: `node dist/bin/evaluate.js`
 * with BALLAST_* env and a HarnessEvalJobSpec in BALLAST_JOB_SPEC.
 */
import { readJobSpec, runContractProgram } from '@ballast/job-contract';
import { HarnessEvalJobSpec } from '@ballast/schema';
import { evaluateWithHarnesses } from '../evaluate.js';

await runContractProgram(
  async ({ env, setProgress }) => {
    const spec = await readJobSpec(env.jobSpecPath, HarnessEvalJobSpec);
    const result = await evaluateWithHarnesses({ spec, specPath: env.jobSpecPath, outputDir: env.outputDir, onProgress: setProgress });
    return { progress: result };
  },
  { simulated: false },
);
