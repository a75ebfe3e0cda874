#!/usr/bin/env node
/** SIMULATED reference trainer, speaking the job contract: `node dist/bin/train.js` with BALLAST_* env. */
import { readJobSpec, runContractProgram } from '@ballast/job-contract';
import { TrainJobSpec } from '@ballast/schema';
import { trainPolicy } from '../trainer.js';

await runContractProgram(
  async ({ env, setProgress }) => {
    const spec = await readJobSpec(env.jobSpecPath, TrainJobSpec);
    // An unknown token count (a run resumed from an older checkpoint) is left out of the progress, not zeroed.
    const known = (p: { step: number; recordsSeen: number; tokensSeen: number | null }) => ({
      step: p.step,
      recordsSeen: p.recordsSeen,
      ...(p.tokensSeen === null ? {} : { tokensSeen: p.tokensSeen }),
    });
    const result = await trainPolicy({ spec, outputDir: env.outputDir, resumeFrom: env.resumeFrom, onProgress: (p) => setProgress(known(p)) });
    return {
      progress: {
        ...known(result),
        ...(result.resumedFromStep !== null ? { resumedFromStep: result.resumedFromStep } : {}),
      },
    };
  },
  { simulated: true },
);
