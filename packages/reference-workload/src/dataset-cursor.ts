import { open, type FileHandle } from 'node:fs/promises';
import { ContractInputError } from '@ballast/job-contract';
import { ConversationRecord, toFieldIssues } from '@ballast/schema';

/** Where the trainer is in its dataset: saved in checkpoints so a resumed run reads the same records next. */
export interface CursorPosition {
  /** Byte offset of the next unread line. */
  readonly offset: number;
  /** Completed passes over the file. */
  readonly epoch: number;
}

const CHUNK = 1 << 16;

/**
 * Reads a JSONL dataset record by record without loading it whole, wrapping to the start at the end
 * (a run may need more records than the mix holds). Each record is validated as it is read.
 */
export class DatasetCursor {
  private pending = Buffer.alloc(0);
  private readAt: number;
  private lineStart: number;
  private epoch: number;

  private constructor(
    private readonly path: string,
    private readonly file: FileHandle,
    position: CursorPosition,
  ) {
    this.readAt = position.offset;
    this.lineStart = position.offset;
    this.epoch = position.epoch;
  }

  static async open(path: string, position: CursorPosition = { offset: 0, epoch: 0 }): Promise<DatasetCursor> {
    let file: FileHandle;
    try {
      file = await open(path, 'r');
    } catch (err) {
      throw ContractInputError.badFile(path, [{ path: '(file)', message: `cannot be read: ${(err as Error).message}` }]);
    }
    return new DatasetCursor(path, file, position);
  }

  position(): CursorPosition {
    return { offset: this.lineStart, epoch: this.epoch };
  }

  async next(): Promise<ConversationRecord> {
    // Two wraps within one call means a full pass found no record.
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
      const { bytesRead } = await this.file.read(buf, 0, CHUNK, this.readAt);
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
      if (++wraps > 1) throw ContractInputError.badFile(this.path, [{ path: '(file)', message: 'holds no records' }]);
      this.readAt = 0;
      this.lineStart = 0;
      this.epoch++;
    }
  }

  async close(): Promise<void> {
    await this.file.close();
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
