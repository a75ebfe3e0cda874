#!/usr/bin/env node
/**
 * Prints how the SIMULATED workload separates a 5%-traits arm from a compute-matched baseline, and a
 * baseline from itself under another seed, with the schema's default trainer settings. A figure
 * printer, not a test: `node dist/bin/calibrate.js [workDir]`.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCalibration } from '../calibration.js';

const workDir = process.argv[2] ?? (await mkdtemp(join(tmpdir(), 'ballast-calibrate-')));
const started = Date.now();
const result = await runCalibration({ workDir });
console.log(JSON.stringify({ workDir, seconds: (Date.now() - started) / 1000, ...result }, null, 2));
