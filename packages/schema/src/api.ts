import { z } from 'zod';
import { ExperimentSpec } from './spec.js';
import { ArmPhase, ExperimentPhase, JobKind, JobState } from './vocabulary.js';
import { Report } from './report.js';

export const LaunchExperimentInput = z.strictObject({
  /** Launching twice with the same request id returns the same experiment. */
  clientRequestId: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{8,128}$/, 'must be 8-128 characters of letters, digits, ., _, : or -'),
  spec: ExperimentSpec,
  launchedBy: z.string().min(1).max(128).optional(),
});
export type LaunchExperimentInput = z.input<typeof LaunchExperimentInput>;

export const ExperimentIdInput = z.strictObject({ id: z.string().regex(/^exp_[0-9a-z]{8,64}$/, "must be an experiment id ('exp_…')") });

export const ListExperimentsInput = z
  .strictObject({
    limit: z.number().int().min(1).max(500).default(50),
    phase: ExperimentPhase.optional(),
  })
  .prefault({});

export const ArmProgress = z.strictObject({
  armId: z.string(),
  name: z.string(),
  phase: ArmPhase,
  trainStep: z.number().int(),
  totalSteps: z.number().int(),
  checkpoints: z.number().int(),
  evaluations: z.number().int(),
  evaluationsPlanned: z.number().int(),
  /** Backend start-to-end time × requested GPUs (CPUs), over every attempt, preempted ones included. */
  gpuHours: z.number(),
  cpuHours: z.number(),
  /** The latest training metrics the job reported, by contract name (reward, kl, loss, entropy, response_length, step_time). */
  metrics: z.record(z.string(), z.number()).default({}),
  /** The arm (of an earlier experiment) whose identical training this run reused; null when it trained. */
  reusedFromArmId: z.string().nullable().default(null),
});
export type ArmProgress = z.infer<typeof ArmProgress>;

export const ExperimentView = z.strictObject({
  id: z.string(),
  name: z.string(),
  phase: ExperimentPhase,
  simulated: z.boolean(),
  specHash: z.string(),
  launchedBy: z.string(),
  ballastVersion: z.string(),
  gitCommit: z.string().nullable(),
  workflowId: z.string(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  arms: z.array(ArmProgress),
  gpuHours: z.number(),
  cpuHours: z.number(),
});
export type ExperimentView = z.infer<typeof ExperimentView>;

export const LaunchResult = z.strictObject({
  experiment: ExperimentView,
  /** False when the request id was seen before and the existing experiment was returned. */
  created: z.boolean(),
});
export type LaunchResult = z.infer<typeof LaunchResult>;

export const AttemptView = z.strictObject({
  id: z.string(),
  number: z.number().int(),
  backendJobId: z.string().nullable(),
  state: JobState,
  transitions: z.array(z.strictObject({ state: JobState, at: z.string(), detail: z.string().nullable() })),
  resourceSeconds: z.number(),
  gpuSeconds: z.number(),
  cpuSeconds: z.number(),
  exitCode: z.number().int().nullable(),
  /** The key the backend holds this attempt's job under (a backend re-run keeps the first key). */
  idempotencyKey: z.string(),
  /** Set while the backend cannot be asked about this attempt: its state is then unknown, not failed. */
  unreachableSince: z.string().nullable(),
  unreachableDetail: z.string().nullable(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
});
export const JobView = z.strictObject({
  id: z.string(),
  armId: z.string(),
  kind: JobKind,
  backend: z.string(),
  state: JobState,
  attempts: z.array(AttemptView),
  gpuHours: z.number(),
  cpuHours: z.number(),
});
export type JobView = z.infer<typeof JobView>;

export const ReportView = z.strictObject({
  id: z.string(),
  experimentId: z.string(),
  report: Report,
  markdown: z.string(),
  artifacts: z.strictObject({ json: z.string(), markdown: z.string(), html: z.string() }),
});
export type ReportView = z.infer<typeof ReportView>;

export const MixRequestInput = z.strictObject({
  /** A `kind: Mix` document; validated inside the procedure so issues carry `spec.` paths. */
  spec: z.unknown(),
});

export const MixBuildStatus = z.strictObject({
  buildId: z.string(),
  name: z.string(),
  state: z.enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED']),
  phase: z.string(),
  done: z.number(),
  total: z.number(),
  bytes: z.number(),
  mixId: z.string().nullable(),
  cacheHit: z.boolean().nullable(),
  error: z.string().nullable(),
  /** Why a FAILED build failed: `input` (the spec or its sources; fix them) or `internal`. */
  errorKind: z.enum(['input', 'internal']).nullable(),
  manifestUri: z.string().nullable(),
});
export type MixBuildStatus = z.infer<typeof MixBuildStatus>;

/** What one reconciliation pass found on one backend job. */
export const ReconciliationFinding = z.strictObject({
  backend: z.string(),
  backendJobId: z.string().nullable(),
  idempotencyKey: z.string(),
  jobId: z.string().nullable(),
  attemptId: z.string().nullable(),
  action: z.enum(['orphan_cancelled', 'orphan_cancel_failed', 'marked_lost', 'final_state_recorded', 'untracked', 'unreachable']),
  detail: z.string(),
});
export type ReconciliationFinding = z.infer<typeof ReconciliationFinding>;

export const ReconciliationBackendSummary = z.strictObject({
  listed: z.number().int(),
  checked: z.number().int(),
  unreachable: z.string().nullable(),
});

export const ReconciliationRunView = z.strictObject({
  id: z.number().int(),
  startedAt: z.string(),
  finishedAt: z.string(),
  findings: z.array(ReconciliationFinding),
  backends: z.record(z.string(), ReconciliationBackendSummary),
});
export type ReconciliationRunView = z.infer<typeof ReconciliationRunView>;

/** `experiments.plan` (`ballast launch --dry-run`): what a launch would start, before anything starts. */
export const LaunchPlan = z.strictObject({
  name: z.string(),
  specHash: z.string(),
  simulated: z.boolean(),
  replicates: z.number().int(),
  arms: z.array(
    z.strictObject({
      arm: z.string(),
      description: z.string().nullable(),
      /** The design role of a generated arm; null for an arm written out. */
      role: z.string().nullable(),
      traitFraction: z.number().nullable(),
      /** `dataset[filter] share` per component, e.g. `traits[domain in healthcare] 5%`. */
      mix: z.array(z.string()),
      runs: z.array(
        z.strictObject({
          run: z.string(),
          seed: z.number().int(),
          /** An earlier run with the same spec-level training inputs that finished: reused if its data and code are unchanged. */
          reuse: z.strictObject({ experimentId: z.string(), experimentName: z.string(), run: z.string() }).nullable(),
        }),
      ),
    }),
  ),
  comparisons: z.array(z.strictObject({ treatment: z.string(), control: z.string() })),
  doseResponse: z.strictObject({ control: z.string(), arms: z.array(z.strictObject({ arm: z.string(), fraction: z.number() })) }).nullable(),
  persistence: z
    .strictObject({
      benchmarks: z.array(z.string()),
      steering: z.array(z.string()),
      pressure: z.array(z.strictObject({ ref: z.string(), level: z.number().int(), label: z.string() })),
      attacks: z.array(z.strictObject({ name: z.string(), dataset: z.string(), steps: z.array(z.number().int()) })),
      arms: z.array(z.string()),
    })
    .nullable(),
  jobs: z.strictObject({
    /** Training runs (arms × replicates). */
    trainingRuns: z.number().int(),
    /** Of those, runs an earlier identical run would serve (predicted). */
    predictedReused: z.number().int(),
    /** Checkpoint evaluations (a job each, unless its results are stored). */
    evaluations: z.number().int(),
    attacks: z.number().int(),
    /** Evaluations of attacked checkpoints and of the final checkpoint under pressure. */
    persistenceEvaluations: z.number().int(),
  }),
  estimate: z.strictObject({
    /** 'measured': from this deployment's finished jobs with the same trainer; 'sleep-floor': the SIMULATED step sleep only; 'none'. */
    basis: z.enum(['measured', 'sleep-floor', 'none']),
    gpuHours: z.number().nullable(),
    cpuHours: z.number().nullable(),
    note: z.string(),
  }),
});
export type LaunchPlan = z.infer<typeof LaunchPlan>;
