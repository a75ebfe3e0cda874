-- Ballast initial schema. Forward-only: never edit an applied migration; add a new file.
CREATE TABLE experiments (
  id text PRIMARY KEY,
  name text NOT NULL,
  client_request_id text NOT NULL UNIQUE,
  raw_spec jsonb NOT NULL,
  resolved_spec jsonb NOT NULL,
  spec_hash text NOT NULL,
  phase text NOT NULL,
  simulated boolean NOT NULL,
  launched_by text NOT NULL,
  ballast_version text NOT NULL,
  git_commit text,
  workflow_id text NOT NULL,
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX experiments_created_at_idx ON experiments (created_at DESC);

CREATE TABLE arms (
  id text PRIMARY KEY,
  experiment_id text NOT NULL REFERENCES experiments(id),
  name text NOT NULL,
  seed integer NOT NULL,
  resolved jsonb NOT NULL,
  phase text NOT NULL DEFAULT 'PENDING',
  train_step integer NOT NULL DEFAULT 0,
  total_steps integer NOT NULL,
  records_seen bigint NOT NULL DEFAULT 0,
  mix_id text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (experiment_id, name)
);

CREATE TABLE dataset_sources (
  id text PRIMARY KEY,
  uri text NOT NULL,
  path text NOT NULL,
  format text NOT NULL,
  sha256 text NOT NULL,
  bytes bigint NOT NULL,
  records bigint NOT NULL,
  registered_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (uri, sha256)
);

CREATE TABLE mixes (
  id text PRIMARY KEY,
  manifest_uri text NOT NULL,
  data_uri text NOT NULL,
  records bigint NOT NULL,
  sha256 text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE jobs (
  id text PRIMARY KEY,
  arm_id text NOT NULL REFERENCES arms(id),
  kind text NOT NULL,
  backend text NOT NULL,
  idempotency_key text NOT NULL UNIQUE,
  state text NOT NULL,
  spec_uri text NOT NULL,
  output_dir text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_arm_idx ON jobs (arm_id);

CREATE TABLE job_attempts (
  id text PRIMARY KEY,
  job_id text NOT NULL REFERENCES jobs(id),
  number integer NOT NULL,
  backend_job_id text,
  state text NOT NULL,
  exit_code integer,
  detail text,
  resource_seconds double precision NOT NULL DEFAULT 0,
  started_at timestamptz,
  ended_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (job_id, number)
);

CREATE TABLE job_state_transitions (
  id bigserial PRIMARY KEY,
  attempt_id text NOT NULL REFERENCES job_attempts(id),
  state text NOT NULL,
  detail text,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX job_state_transitions_attempt_idx ON job_state_transitions (attempt_id, id);

CREATE TABLE checkpoints (
  id text PRIMARY KEY,
  arm_id text NOT NULL REFERENCES arms(id),
  job_id text NOT NULL REFERENCES jobs(id),
  step integer NOT NULL,
  content_hash text NOT NULL,
  uri text NOT NULL,
  committed_at timestamptz NOT NULL,
  UNIQUE (arm_id, step)
);

CREATE TABLE evaluations (
  id text PRIMARY KEY,
  cache_key text NOT NULL UNIQUE,
  checkpoint_hash text NOT NULL,
  benchmark_ref text NOT NULL,
  evaluator_version text NOT NULL,
  eval_config_hash text NOT NULL,
  category text NOT NULL,
  n integer NOT NULL,
  mean double precision NOT NULL,
  stderr double precision NOT NULL,
  items_uri text NOT NULL,
  summary jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX evaluations_checkpoint_idx ON evaluations (checkpoint_hash);

-- Which checkpoints of which arm an evaluation row served; evaluations themselves are shared by key.
CREATE TABLE checkpoint_evaluations (
  checkpoint_id text NOT NULL REFERENCES checkpoints(id),
  evaluation_id text NOT NULL REFERENCES evaluations(id),
  PRIMARY KEY (checkpoint_id, evaluation_id)
);

CREATE TABLE reports (
  id text PRIMARY KEY,
  experiment_id text NOT NULL UNIQUE REFERENCES experiments(id),
  report jsonb NOT NULL,
  json_uri text NOT NULL,
  markdown_uri text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
