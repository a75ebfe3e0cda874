#!/usr/bin/env node
/** SIMULATED harmful fine-tuning attack, speaking the job contract: `node dist/bin/attack.js` with BALLAST_* env. */
import { readJobSpec, runContractProgram } from '@ballast/job-contract';
import { AttackJobSpec } from '@ballast/schema';
import { runAttack } from '../attack.js';

await runContractProgram(
  async ({ env, setProgress }) => {
    const spec = await readJobSpec(env.jobSpecPath, AttackJobSpec);
    const result = await runAttack({ spec, outputDir: env.outputDir, resumeFrom: env.resumeFrom, onProgress: setProgress });
    return {
      progress: {
        step: result.step,
        recordsSeen: result.recordsSeen,
        ...(result.resumedFromStep !== null ? { resumedFromStep: result.resumedFromStep } : {}),
      },
    };
  },
  { simulated: true },
);
