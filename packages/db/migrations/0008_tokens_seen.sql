-- Tokens each arm trained on, for the report's token compute matching: the reference workload's own
-- count, or the framework's (the base model's tokenizer). NULL when the trainer does not report it.
ALTER TABLE arms ADD COLUMN IF NOT EXISTS tokens_seen bigint;
