-- Benchmarks users added to the registry (the SIMULATED reference twins are built in and not stored).
-- A version is immutable: the same ref with other content is refused ("bump the version"), and the
-- trigger below keeps a stored row from being changed or removed afterwards.
CREATE TABLE IF NOT EXISTS benchmarks (
  ref text PRIMARY KEY,
  id text NOT NULL,
  version integer NOT NULL CHECK (version > 0),
  entry jsonb NOT NULL,
  entry_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  CONSTRAINT benchmarks_ref_is_id_at_version CHECK (ref = id || '@' || version::text)
);

CREATE OR REPLACE FUNCTION benchmarks_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'benchmark % is immutable; add a new version instead', OLD.ref;
END
$$;

CREATE TRIGGER benchmarks_immutable BEFORE UPDATE OR DELETE ON benchmarks
  FOR EACH ROW EXECUTE FUNCTION benchmarks_immutable();
