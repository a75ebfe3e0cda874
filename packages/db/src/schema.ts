import {
  bigint,
  bigserial,
  boolean,
  doublePrecision,
  integer,
  jsonb,
  pgTable,
  type AnyPgColumn,
  primaryKey,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';

// Mirrors migrations/*.sql; a test compares the two after migrating a real database.
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const experiments = pgTable('experiments', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  clientRequestId: text('client_request_id').notNull().unique(),
  rawSpec: jsonb('raw_spec').notNull(),
  resolvedSpec: jsonb('resolved_spec').notNull(),
  specHash: text('spec_hash').notNull(),
  phase: text('phase').notNull(),
  simulated: boolean('simulated').notNull(),
  launchedBy: text('launched_by').notNull(),
  ballastVersion: text('ballast_version').notNull(),
  gitCommit: text('git_commit'),
  workflowId: text('workflow_id').notNull(),
  error: text('error'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  finishedAt: ts('finished_at'),
});

export const arms = pgTable(
  'arms',
  {
    id: text('id').primaryKey(),
    experimentId: text('experiment_id').notNull().references(() => experiments.id),
    name: text('name').notNull(),
    seed: integer('seed').notNull(),
    resolved: jsonb('resolved').notNull(),
    phase: text('phase').notNull().default('PENDING'),
    trainStep: integer('train_step').notNull().default(0),
    totalSteps: integer('total_steps').notNull(),
    recordsSeen: bigint('records_seen', { mode: 'number' }).notNull().default(0),
    /** Tokens trained on, when the trainer reports them (migration 0008). */
    tokensSeen: bigint('tokens_seen', { mode: 'number' }),
    /** The latest training metrics the job reported (migration 0007). */
    metrics: jsonb('metrics'),
    mixId: text('mix_id'),
    /** Spec-level training inputs, set at launch: what a dry run matches earlier arms by (migration 0009). */
    inputsKey: text('inputs_key'),
    /** Content-level training inputs, set once the mix is built: what reuse matches by (migration 0009). */
    trainingKey: text('training_key'),
    /** The arm whose training this arm reused (migration 0009). */
    reusedFromArmId: text('reused_from_arm_id').references((): AnyPgColumn => arms.id),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [unique().on(t.experimentId, t.name)],
);

/** Finished runs whose results later arms may reuse, by key (migration 0009). */
export const reusableRuns = pgTable('reusable_runs', {
  key: text('key').primaryKey(),
  /** 'train' or 'attack'. */
  kind: text('kind').notNull(),
  armId: text('arm_id').notNull().references(() => arms.id),
  /** An attack's checkpoints' lineage on that arm (`attack:<name>`); null for training. */
  lineage: text('lineage'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const datasetSources = pgTable(
  'dataset_sources',
  {
    id: text('id').primaryKey(),
    uri: text('uri').notNull(),
    path: text('path').notNull(),
    format: text('format').notNull(),
    sha256: text('sha256').notNull(),
    bytes: bigint('bytes', { mode: 'number' }).notNull(),
    records: bigint('records', { mode: 'number' }).notNull(),
    registeredAt: ts('registered_at').notNull().defaultNow(),
  },
  (t) => [unique().on(t.uri, t.sha256)],
);

export const mixes = pgTable('mixes', {
  id: text('id').primaryKey(),
  manifestUri: text('manifest_uri').notNull(),
  dataUri: text('data_uri').notNull(),
  records: bigint('records', { mode: 'number' }).notNull(),
  sha256: text('sha256').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  manifest: jsonb('manifest'),
});

export const mixBuilds = pgTable('mix_builds', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  spec: jsonb('spec').notNull(),
  state: text('state').notNull(),
  phase: text('phase').notNull().default('PENDING'),
  done: bigint('done', { mode: 'number' }).notNull().default(0),
  total: bigint('total', { mode: 'number' }).notNull().default(0),
  bytes: bigint('bytes', { mode: 'number' }).notNull().default(0),
  mixId: text('mix_id'),
  cacheHit: boolean('cache_hit'),
  error: text('error'),
  /** 'input' or 'internal' when the build FAILED (migration 0005). */
  errorKind: text('error_kind'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const jobs = pgTable('jobs', {
  id: text('id').primaryKey(),
  armId: text('arm_id').notNull().references(() => arms.id),
  kind: text('kind').notNull(),
  backend: text('backend').notNull(),
  idempotencyKey: text('idempotency_key').notNull().unique(),
  state: text('state').notNull(),
  specUri: text('spec_uri').notNull(),
  outputDir: text('output_dir').notNull(),
  /** Requested GPUs and CPUs over all of the job's nodes: GPU- and CPU-hours are measured against them. */
  gpus: integer('gpus').notNull().default(0),
  cpus: doublePrecision('cpus').notNull().default(1),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const jobAttempts = pgTable(
  'job_attempts',
  {
    id: text('id').primaryKey(),
    jobId: text('job_id').notNull().references(() => jobs.id),
    number: integer('number').notNull(),
    /** The key the backend holds this attempt's job under; a backend re-run keeps its first attempt's key. */
    idempotencyKey: text('idempotency_key').notNull(),
    backendJobId: text('backend_job_id'),
    /** The backend's own re-run count (Slurm's Restarts) when this attempt began. */
    backendRestarts: integer('backend_restarts').notNull().default(0),
    unreachableSince: ts('unreachable_since'),
    unreachableDetail: text('unreachable_detail'),
    state: text('state').notNull(),
    exitCode: integer('exit_code'),
    detail: text('detail'),
    resourceSeconds: doublePrecision('resource_seconds').notNull().default(0),
    gpuSeconds: doublePrecision('gpu_seconds').notNull().default(0),
    cpuSeconds: doublePrecision('cpu_seconds').notNull().default(0),
    startedAt: ts('started_at'),
    endedAt: ts('ended_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [unique().on(t.jobId, t.number)],
);

export const jobStateTransitions = pgTable('job_state_transitions', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  attemptId: text('attempt_id').notNull().references(() => jobAttempts.id),
  state: text('state').notNull(),
  detail: text('detail'),
  at: ts('at').notNull().defaultNow(),
});

export const checkpoints = pgTable(
  'checkpoints',
  {
    id: text('id').primaryKey(),
    armId: text('arm_id').notNull().references(() => arms.id),
    jobId: text('job_id').notNull().references(() => jobs.id),
    step: integer('step').notNull(),
    contentHash: text('content_hash').notNull(),
    uri: text('uri').notNull(),
    committedAt: ts('committed_at').notNull(),
    /** The environment it was trained in (RuntimeEnvironment); null for the reference trainer (migration 0007). */
    environment: jsonb('environment'),
    /** 'train', or 'attack:<name>' for a checkpoint an attack committed (migration 0009). */
    lineage: text('lineage').notNull().default('train'),
  },
  (t) => [unique().on(t.armId, t.lineage, t.step)],
);

export const evaluations = pgTable('evaluations', {
  id: text('id').primaryKey(),
  cacheKey: text('cache_key').notNull().unique(),
  checkpointHash: text('checkpoint_hash').notNull(),
  benchmarkRef: text('benchmark_ref').notNull(),
  evaluatorVersion: text('evaluator_version').notNull(),
  evalConfigHash: text('eval_config_hash').notNull(),
  category: text('category').notNull(),
  n: integer('n').notNull(),
  mean: doublePrecision('mean').notNull(),
  stderr: doublePrecision('stderr').notNull(),
  itemsUri: text('items_uri').notNull(),
  summary: jsonb('summary').notNull(),
  /** The adversarial pressure condition it ran under; null: none (migration 0009). */
  pressureRef: text('pressure_ref'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const checkpointEvaluations = pgTable(
  'checkpoint_evaluations',
  {
    checkpointId: text('checkpoint_id').notNull().references(() => checkpoints.id),
    evaluationId: text('evaluation_id').notNull().references(() => evaluations.id),
  },
  (t) => [primaryKey({ columns: [t.checkpointId, t.evaluationId] })],
);

export const reports = pgTable('reports', {
  id: text('id').primaryKey(),
  experimentId: text('experiment_id').notNull().unique().references(() => experiments.id),
  report: jsonb('report').notNull(),
  jsonUri: text('json_uri').notNull(),
  markdownUri: text('markdown_uri').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const reconciliationRuns = pgTable('reconciliation_runs', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  startedAt: ts('started_at').notNull(),
  finishedAt: ts('finished_at').notNull().defaultNow(),
  findings: jsonb('findings').notNull(),
  backends: jsonb('backends').notNull(),
});

/** Benchmarks users added, one row per immutable `id@version` (migration 0006). */
export const benchmarks = pgTable('benchmarks', {
  ref: text('ref').primaryKey(),
  id: text('id').notNull(),
  version: integer('version').notNull(),
  entry: jsonb('entry').notNull(),
  entryHash: text('entry_hash').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  createdBy: text('created_by').notNull(),
});
