import { open, type FileHandle } from 'node:fs/promises';
import { ContractInputError } from '@ballast/job-contract';
import { ConversationRecord, toFieldIssues } from '@ballast/schema';

/** Where the trainer is in its dataset: saved in checkpoints so a resumed run reads the same records next. */
export interface CursorPosition {
  /** Shard being read (index into the dataset's ordered shard list); absent in old checkpoints = 0. */
  readonly shard?: number;
  /** Byte offset of the next unread line in that shard. */
  readonly offset: number;
  /** Completed passes over the whole dataset. */
  readonly epoch: number;
}

const CHUNK = 1 << 16;

/**
 * Reads a JSONL dataset, given as an ordered list of shards read as one stream, record by record
 * without loading it whole, wrapping to the first shard at the end (a run may need more records than
 * the mix holds). Each record is validated as it is read.
 */
export class DatasetCursor {
  private pending = Buffer.alloc(0);
  private readAt: number;
  private lineStart: number;
  private epoch: number;
  private shard: number;
  private file: FileHandle | null = null;

  private constructor(
    private readonly paths: readonly string[],
    position: CursorPosition,
  ) {
    this.shard = position.shard ?? 0;
    this.readAt = position.offset;
    this.lineStart = position.offset;
    this.epoch = position.epoch;
  }

  static async open(paths: readonly string[], position: CursorPosition = { shard: 0, offset: 0, epoch: 0 }): Promise<DatasetCursor> {
    if (paths.length === 0) throw ContractInputError.badFile('(dataset)', [{ path: 'datasetPaths', message: 'names no file' }]);
    const cursor = new DatasetCursor(paths, position);
    await cursor.openShard();
    return cursor;
  }

  private get path(): string {
    return this.paths[this.shard]!;
  }

  private async openShard(): Promise<void> {
    await this.file?.close();
    try {
      this.file = await open(this.path, 'r');
    } catch (err) {
      throw ContractInputError.badFile(this.path, [{ path: '(file)', message: `cannot be read: ${(err as Error).message}` }]);
    }
  }

  position(): CursorPosition {
    return { shard: this.shard, offset: this.lineStart, epoch: this.epoch };
  }

  async next(): Promise<ConversationRecord> {
    // Going round the whole dataset twice within one call means no shard holds a record.
    let wraps = 0;
    for (;;) {
      const nl = this.pending.indexOf(0x0a);
      if (nl >= 0) {
        const line = this.pending.subarray(0, nl).toString('utf8');
        const at = this.lineStart;
        this.pending = this.pending.subarray(nl + 1);
        this.lineStart += nl + 1;
        if (line.trim() === '') continue;
        return this.parse(line, at);
      }
      const buf = Buffer.alloc(CHUNK);
      const { bytesRead } = await this.file!.read(buf, 0, CHUNK, this.readAt);
      if (bytesRead > 0) {
        this.readAt += bytesRead;
        this.pending = Buffer.concat([this.pending, buf.subarray(0, bytesRead)]);
        continue;
      }
      if (this.pending.length > 0) {
        // A last line without a newline is still a record.
        this.pending = Buffer.concat([this.pending, Buffer.from('\n')]);
        continue;
      }
      this.readAt = 0;
      this.lineStart = 0;
      if (this.shard + 1 < this.paths.length) {
        this.shard += 1;
      } else {
        if (++wraps > 1) throw ContractInputError.badFile(this.paths.join(', '), [{ path: '(file)', message: 'holds no records' }]);
        this.shard = 0;
        this.epoch++;
      }
      await this.openShard();
    }
  }

  async close(): Promise<void> {
    await this.file?.close();
  }

  private parse(line: string, offset: number): ConversationRecord {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw ContractInputError.badFile(this.path, [{ path: `(byte ${offset})`, message: 'is not a JSON line' }]);
    }
    const parsed = ConversationRecord.safeParse(json);
    if (!parsed.success) throw ContractInputError.badFile(this.path, toFieldIssues(parsed.error.issues, [`(byte ${offset})`]));
    return parsed.data;
  }
}
