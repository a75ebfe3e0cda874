#!/usr/bin/env node
/** SIMULATED reference evaluator, speaking the job contract: `node dist/bin/evaluate.js` with BALLAST_* env. */
import { readJobSpec, runContractProgram } from '@ballast/job-contract';
import { EvalJobSpec } from '@ballast/schema';
import { evaluatePolicy } from '../evaluator.js';

await runContractProgram(
  async ({ env, setProgress }) => {
    const spec = await readJobSpec(env.jobSpecPath, EvalJobSpec);
    const result = await evaluatePolicy({ spec, outputDir: env.outputDir, onProgress: setProgress });
    return { progress: result };
  },
  { simulated: true },
);
