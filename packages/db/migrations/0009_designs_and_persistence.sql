-- Designs, shared arms and persistence (issue 10).
-- Reuse: an arm's spec-level inputs key (set at launch; what a dry run matches), its content-level
-- training key (set when its mix is built: mix id, trainer settings, base model hash, seed, code
-- version) and, when its training was reused, the arm that trained it.
ALTER TABLE arms ADD COLUMN IF NOT EXISTS inputs_key text;
ALTER TABLE arms ADD COLUMN IF NOT EXISTS training_key text;
ALTER TABLE arms ADD COLUMN IF NOT EXISTS reused_from_arm_id text REFERENCES arms(id);
CREATE INDEX IF NOT EXISTS arms_inputs_key_idx ON arms (inputs_key);

-- Runs whose results may be reused, by key: 'train' (an arm's training) or 'attack' (one attack of an
-- arm's final checkpoint). Written once the run finished; the first arm to finish owns the key.
CREATE TABLE IF NOT EXISTS reusable_runs (
  key text PRIMARY KEY,
  kind text NOT NULL,
  arm_id text NOT NULL REFERENCES arms(id),
  -- An attack's checkpoints' lineage on that arm ('attack:<name>'); NULL for training.
  lineage text,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Attacked checkpoints live beside training's: lineage 'train', or 'attack:<name>' for the checkpoints
-- an attack job committed from the arm's final checkpoint.
ALTER TABLE checkpoints ADD COLUMN IF NOT EXISTS lineage text NOT NULL DEFAULT 'train';
ALTER TABLE checkpoints DROP CONSTRAINT IF EXISTS checkpoints_arm_id_step_key;
ALTER TABLE checkpoints ADD CONSTRAINT checkpoints_arm_id_lineage_step_key UNIQUE (arm_id, lineage, step);

-- The adversarial pressure condition (id@version) an evaluation ran under; NULL: none.
ALTER TABLE evaluations ADD COLUMN IF NOT EXISTS pressure_ref text;
