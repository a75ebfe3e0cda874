import type { ByteWriter, ParquetWriter, SchemaElement } from 'hyparquet-writer';
import { OutputWriterMisuseError } from './errors.js';
import { ShardSet, type ShardFile } from './shard-files.js';
import { toTrainerRecord, type ChatTurn } from './trainer-rows.js';
import type { MixOutputWriter, OutputSetResult } from './types.js';

/** Rows per row group: bounds the writer's memory (one row group of rows is held before encoding). */
export const VERL_ROW_GROUP_ROWS = 8192;
/** Canonical bytes per row group, whichever of the two limits is reached first. */
export const VERL_ROW_GROUP_BYTES = 32 << 20;

const utf8 = (name: string): SchemaElement => ({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' });

/**
 * The verl row as a parquet schema with real nesting, so `pd.read_parquet` / `datasets` give the
 * same Python objects verl's own preprocessing scripts write: `prompt` a list of dicts,
 * `reward_model` and `extra_info` dicts. The list uses the standard three-level LIST layout.
 */
export const VERL_SCHEMA: SchemaElement[] = [
  { name: 'root', num_children: 5 },
  utf8('data_source'),
  { name: 'prompt', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  { name: 'element', repetition_type: 'OPTIONAL', num_children: 2 },
  utf8('role'),
  utf8('content'),
  utf8('ability'),
  { name: 'reward_model', repetition_type: 'OPTIONAL', num_children: 2 },
  utf8('style'),
  utf8('ground_truth'),
  { name: 'extra_info', repetition_type: 'OPTIONAL', num_children: 3 },
  utf8('id'),
  { name: 'index', type: 'INT64', repetition_type: 'OPTIONAL' },
  utf8('tags'),
];

interface RowGroup {
  prompt: ChatTurn[][];
  ability: string[];
  rewardModel: { style: string; ground_truth: string }[];
  extraInfo: { id: string; index: bigint; tags: string }[];
  bytes: number;
}

const emptyGroup = (): RowGroup => ({ prompt: [], ability: [], rewardModel: [], extraInfo: [], bytes: 0 });

/**
 * verl parquet shards (`part-NNNNN.parquet`). Rows are buffered one row group at a time, encoded by
 * hyparquet-writer into memory, and drained to the shard file (hashing as they go) after each row
 * group, so memory is bounded by the row-group limits, not by the mix.
 *
 * `shardBytes` counts the canonical JSON bytes of the records in a shard (one newline each, as in
 * the JSONL output): parquet's compressed size is not known until a row group is encoded, so the
 * files come out smaller than the limit for text data, plus a footer of a few kB.
 */
export class VerlParquetWriter implements MixOutputWriter {
  private readonly set: ShardSet;
  private shard: { file: ShardFile; parquet: ParquetWriter; sink: ByteWriter; inputBytes: number } | undefined;
  private group = emptyGroup();
  private records = 0;
  private busy = false;
  private state: 'open' | 'finished' | 'aborted' = 'open';

  constructor(
    stagingDir: string,
    private readonly shardBytes: number,
    private readonly dataSource: string,
  ) {
    this.set = new ShardSet(stagingDir, 'parquet');
  }

  async write(bytes: Buffer): Promise<void> {
    this.enter();
    try {
      const r = toTrainerRecord('verl', bytes);
      const size = bytes.length + 1;
      let shard = this.shard;
      if (shard !== undefined && shard.file.records > 0 && shard.inputBytes + size > this.shardBytes) {
        await this.sealShard();
        shard = undefined;
      }
      if (shard === undefined) {
        // Loaded on first use: most processes that load this package never write parquet.
        const { ByteWriter, ParquetWriter } = await import('hyparquet-writer');
        const sink = new ByteWriter();
        const file = await this.set.next();
        shard = { file, sink, parquet: new ParquetWriter({ writer: sink, schema: VERL_SCHEMA, createdBy: 'ballast mixing' }), inputBytes: 0 };
        this.shard = shard;
      }
      const g = this.group;
      g.prompt.push(r.prompt);
      g.ability.push(r.ability);
      g.rewardModel.push({ style: 'rule', ground_truth: r.label });
      g.extraInfo.push({ id: r.id, index: BigInt(this.records), tags: r.tagsJson });
      g.bytes += size;
      shard.inputBytes += size;
      shard.file.records += 1;
      this.records += 1;
      if (g.prompt.length >= VERL_ROW_GROUP_ROWS || g.bytes >= VERL_ROW_GROUP_BYTES) await this.flushGroup();
    } finally {
      this.busy = false;
    }
  }

  async finish(): Promise<OutputSetResult> {
    this.enter();
    try {
      await this.set.ensureDir();
      if (this.shard !== undefined) await this.sealShard();
      this.state = 'finished';
      return { format: 'verl', dir: this.set.dir, shards: [...this.set.shards], records: this.records };
    } finally {
      this.busy = false;
    }
  }

  async abort(): Promise<void> {
    if (this.state === 'aborted') return;
    this.state = 'aborted';
    const shard = this.shard;
    this.shard = undefined;
    this.group = emptyGroup();
    if (shard !== undefined) await shard.file.discard();
    await this.set.removeAll();
  }

  private enter(): void {
    if (this.busy) throw new OutputWriterMisuseError('a call was made before the previous one settled');
    if (this.state !== 'open') throw new OutputWriterMisuseError(`the writer is already ${this.state}`);
    this.busy = true;
  }

  private async flushGroup(): Promise<void> {
    const shard = this.shard;
    const g = this.group;
    if (shard === undefined || g.prompt.length === 0) return;
    this.group = emptyGroup();
    const rows = g.prompt.length;
    await shard.parquet.write({
      rowGroupSize: rows,
      columnData: [
        { name: 'data_source', data: new Array<string>(rows).fill(this.dataSource) },
        { name: 'prompt', data: g.prompt },
        { name: 'ability', data: g.ability },
        { name: 'reward_model', data: g.rewardModel },
        { name: 'extra_info', data: g.extraInfo },
      ],
    });
    await this.drain();
  }

  /** Moves what the encoder has produced so far into the shard file. */
  private async drain(): Promise<void> {
    const shard = this.shard;
    if (shard === undefined || shard.sink.index === 0) return;
    // A copy: the encoder reuses its buffer from index 0 once we reset it.
    const bytes = new Uint8Array(shard.sink.buffer.slice(0, shard.sink.index));
    shard.sink.index = 0;
    await shard.file.append(bytes);
  }

  private async sealShard(): Promise<void> {
    const shard = this.shard;
    if (shard === undefined) return;
    await this.flushGroup();
    await shard.parquet.finish();
    await this.drain();
    this.shard = undefined;
    await this.set.seal(shard.file);
  }
}
