/** The trainer-facing layouts a mix can be written in. */
export const OutputFormat = {
  /** Canonical records, byte-identical to the sources, one per line. */
  jsonl: 'jsonl',
  /** verl RLHF parquet rows. */
  verl: 'verl',
  /** OpenRLHF prompt JSONL (`input` + `label`). */
  openrlhf: 'openrlhf',
  /** TRL GRPO prompt-only JSONL (`prompt` + reward-function columns). */
  trl: 'trl',
} as const;
export type OutputFormat = (typeof OutputFormat)[keyof typeof OutputFormat];

export interface ShardInfo {
  /** File name relative to the output directory, e.g. `part-00000.jsonl`. */
  readonly file: string;
  readonly records: number;
  readonly bytes: number;
  readonly sha256: string;
}

export interface OutputSetResult {
  readonly format: OutputFormat;
  /** The staging directory the shards were written to; publishOutputs moves it into place. */
  readonly dir: string;
  readonly shards: readonly ShardInfo[];
  readonly records: number;
}

/**
 * Receives the records of one mix, in final mix order, and writes them as one format's shards.
 * Calls must be sequential: await each `write` before the next.
 */
export interface MixOutputWriter {
  /** `bytes` is the record's exact canonical JSON (no newline); only formats that need fields parse it. */
  write(bytes: Buffer): Promise<void>;
  /** Flushes, fsyncs and closes every shard; the sha256 of each shard was computed while writing. */
  finish(): Promise<OutputSetResult>;
  /** Stops and removes what this writer wrote (and the staging directory, if this writer created it). */
  abort(): Promise<void>;
}

export interface CreateOutputWriterOptions {
  readonly format: OutputFormat;
  /** Owned by the writer until published; created if missing. Must be on the same filesystem as the final directory. */
  readonly stagingDir: string;
  /** A shard is closed before it would exceed this many bytes (see the format's note on what is counted). */
  readonly shardBytes: number;
  /** Stamped on every row as the source tag (verl `data_source`, OpenRLHF `datasource`, TRL `data_source`), e.g. the mix id. */
  readonly dataSource: string;
}
