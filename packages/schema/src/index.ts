/**
 * Zod schemas for every Ballast spec, id, job-contract file and API input/output. TypeScript types are
 * inferred from these and nowhere else. This package has no I/O and no Node built-ins, so workflows
 * may import it.
 *
 * @example
 * import { ExperimentSpec, toFieldIssues } from '@ballast/schema';
 * const parsed = ExperimentSpec.safeParse(yamlObject);
 * if (!parsed.success) console.error(toFieldIssues(parsed.error.issues));
 */
export * from './ids.js';
export * from './vocabulary.js';
export * from './spec.js';
export * from './canonical-json.js';
export * from './contract.js';
export * from './persistence.js';
export * from './design.js';
export * from './reuse.js';
export * from './dataset.js';
export * from './benchmark.js';
export * from './mix.js';
export * from './report.js';
export * from './api.js';
export * from './issues.js';
export * from './storable-text.js';
export * from './training.js';
export * from './jsonl-records.js';
