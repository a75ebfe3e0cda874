import { z } from 'zod';
import { CONTRACT_ENV, CONTRACT_VERSION } from '@ballast/schema';
import { ContractInputError } from './errors.js';

/** What the platform told this job through its environment. */
export interface ContractEnv {
  readonly contractVersion: typeof CONTRACT_VERSION;
  readonly jobId: string;
  readonly attemptId: string;
  readonly jobSpecPath: string;
  readonly outputDir: string;
  readonly seed: number;
  /** `auto`: resume from the latest committed checkpoint in OUTPUT; a path: resume from it; null: fresh. */
  readonly resumeFrom: 'auto' | string | null;
}

const required = z.string().trim().min(1, 'is required and must not be empty');
const fields = {
  contractVersion: z.literal(CONTRACT_VERSION, { message: `must be '${CONTRACT_VERSION}'` }),
  jobId: required,
  attemptId: required,
  jobSpecPath: required,
  outputDir: required,
  seed: z
    .string()
    .regex(/^[0-9]+$/, 'must be a non-negative integer')
    .transform(Number)
    .refine(Number.isSafeInteger, 'is too large'),
  // An empty value means "not set": some launchers cannot unset a variable, only blank it.
  resumeFrom: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? null : v.trim())),
} as const;

const variableOf: Record<keyof typeof fields, string> = {
  contractVersion: CONTRACT_ENV.version,
  jobId: CONTRACT_ENV.jobId,
  attemptId: CONTRACT_ENV.attemptId,
  jobSpecPath: CONTRACT_ENV.jobSpec,
  outputDir: CONTRACT_ENV.outputDir,
  seed: CONTRACT_ENV.seed,
  resumeFrom: CONTRACT_ENV.resumeFrom,
};

/** Reads and validates the contract variables; the first bad one is named in the thrown error. */
export function readContractEnv(env: NodeJS.ProcessEnv = process.env): ContractEnv {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(fields) as (keyof typeof fields)[]) {
    const variable = variableOf[key];
    const raw = env[variable];
    if (key !== 'resumeFrom' && raw === undefined) throw ContractInputError.badEnv(variable, 'is not set');
    const parsed = fields[key].safeParse(raw);
    if (!parsed.success) throw ContractInputError.badEnv(variable, parsed.error.issues[0]?.message ?? 'is invalid');
    out[key] = parsed.data;
  }
  return out as unknown as ContractEnv;
}
