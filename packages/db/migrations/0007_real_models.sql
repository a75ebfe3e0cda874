-- The environment a checkpoint was trained in (Python version, framework package versions), as the
-- framework runner recorded it. NULL for the SIMULATED reference trainer and for older checkpoints.
ALTER TABLE checkpoints ADD COLUMN IF NOT EXISTS environment jsonb;
-- The latest training metrics of an arm (reward, kl, loss, entropy, response_length, step_time), as
-- the job reported them in metrics.jsonl; shown per arm by the API and `ballast status`.
ALTER TABLE arms ADD COLUMN IF NOT EXISTS metrics jsonb;
