#!/usr/bin/env node
/** SIMULATED reference trainer, speaking the job contract: `node dist/bin/train.js` with BALLAST_* env. */
import { readJobSpec, runContractProgram } from '@ballast/job-contract';
import { TrainJobSpec } from '@ballast/schema';
import { trainPolicy } from '../trainer.js';

await runContractProgram(
  async ({ env, setProgress }) => {
    const spec = await readJobSpec(env.jobSpecPath, TrainJobSpec);
    const result = await trainPolicy({ spec, outputDir: env.outputDir, resumeFrom: env.resumeFrom, onProgress: setProgress });
    return {
      progress: {
        step: result.step,
        recordsSeen: result.recordsSeen,
        tokensSeen: result.tokensSeen,
        ...(result.resumedFromStep !== null ? { resumedFromStep: result.resumedFromStep } : {}),
      },
    };
  },
  { simulated: true },
);
