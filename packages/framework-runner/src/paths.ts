import { fileURLToPath } from 'node:url';

/** Absolute path of the compiled runner program, for backends that launch it as `node <path>`. */
export const runnerProgramPath = fileURLToPath(new URL('./bin/run.js', import.meta.url));
