import { fileURLToPath } from 'node:url';

/** Absolute paths of the compiled contract programs, for backends that launch them as `node <path>`. */
export const programPaths = {
  train: fileURLToPath(new URL('./bin/train.js', import.meta.url)),
  evaluate: fileURLToPath(new URL('./bin/evaluate.js', import.meta.url)),
  /** The SIMULATED harmful fine-tuning attack (reads an AttackJobSpec). */
  attack: fileURLToPath(new URL('./bin/attack.js', import.meta.url)),
} as const;
