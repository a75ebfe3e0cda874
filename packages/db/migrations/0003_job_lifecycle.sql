-- The job lifecycle (issue 4): the backend key each attempt's job lives under, the backend's own
-- re-runs (Slurm requeue), reachability, GPU and CPU time per attempt, and reconciliation runs.
ALTER TABLE job_attempts ADD COLUMN idempotency_key text;
UPDATE job_attempts SET idempotency_key = job_id || '-a' || number WHERE idempotency_key IS NULL;
ALTER TABLE job_attempts ALTER COLUMN idempotency_key SET NOT NULL;
CREATE INDEX job_attempts_idempotency_key ON job_attempts (idempotency_key);
-- How many times the backend had re-run the job under the same id when this attempt began.
ALTER TABLE job_attempts ADD COLUMN backend_restarts integer NOT NULL DEFAULT 0;
-- Set while the backend cannot be asked about this attempt; cleared when it answers again.
ALTER TABLE job_attempts ADD COLUMN unreachable_since timestamptz;
ALTER TABLE job_attempts ADD COLUMN unreachable_detail text;
ALTER TABLE job_attempts ADD COLUMN gpu_seconds double precision NOT NULL DEFAULT 0;
ALTER TABLE job_attempts ADD COLUMN cpu_seconds double precision NOT NULL DEFAULT 0;

ALTER TABLE jobs ADD COLUMN gpus integer NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN cpus double precision NOT NULL DEFAULT 1;

CREATE TABLE reconciliation_runs (
  id bigserial PRIMARY KEY,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL DEFAULT now(),
  -- One entry per finding: { backend, backendJobId, idempotencyKey, jobId, attemptId, action, detail }.
  findings jsonb NOT NULL,
  -- Per backend: { listed, checked, unreachable? }.
  backends jsonb NOT NULL
);
