-- Why a mix build failed: 'input' (the spec or its sources; fixing them is the user's job, and
-- `ballast mix build` exits 2) or 'internal' (anything else). NULL for builds that did not fail.
ALTER TABLE mix_builds ADD COLUMN IF NOT EXISTS error_kind text;
