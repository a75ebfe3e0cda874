#!/usr/bin/env node
/**
 * The framework runner, a job contract program: `node dist/bin/run.js` with BALLAST_* env and
 * BALLAST_JOB_SPEC naming a FrameworkTrainJobSpec. Not SIMULATED: it runs a real training framework.
 */
import { runContractProgram } from '@ballast/job-contract';
import { runFrameworkJob } from '../run.js';

// A job log whose reader went away must not end the run: checkpoints and status still get written.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

const code = await runContractProgram((ctx) => runFrameworkJob(ctx), { simulated: false });
// status.json is written by now; an environment probe still running must not hold the exit back.
process.exit(code);
