-- Standalone mix builds (ballast mix build) with their progress, and each mix's manifest.
CREATE TABLE mix_builds (
  id text PRIMARY KEY,
  name text NOT NULL,
  spec jsonb NOT NULL,
  state text NOT NULL,
  phase text NOT NULL DEFAULT 'PENDING',
  done bigint NOT NULL DEFAULT 0,
  total bigint NOT NULL DEFAULT 0,
  bytes bigint NOT NULL DEFAULT 0,
  mix_id text,
  cache_hit boolean,
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE mixes ADD COLUMN manifest jsonb;
