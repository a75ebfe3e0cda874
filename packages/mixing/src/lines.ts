import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';

/** One line of a source file, without its terminator (LF or CRLF) and without a leading UTF-8 BOM. */
export interface SourceLine {
  /** 1-based line number. */
  readonly line: number;
  /** Byte offset of the line's first content byte in the file. */
  readonly offset: number;
  /** Content bytes. A view into a read buffer: copy it if it must outlive the callback. */
  readonly bytes: Buffer;
}

export interface LineScan {
  readonly sha256: string;
  readonly bytes: number;
  readonly lines: number;
}

const LF = 0x0a;
const CR = 0x0d;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const CHUNK_BYTES = 1 << 20;

/**
 * Streams `path` once, hashing every byte and calling `visit` for each line. Memory stays at one chunk
 * plus the longest line, whatever the file size.
 */
export async function scanLines(
  path: string,
  visit: (line: SourceLine) => void,
  options: { signal?: AbortSignal; onChunk?: (bytesSoFar: number) => void } = {},
): Promise<LineScan> {
  const hash = createHash('sha256');
  let lineNo = 0;
  let fileOffset = 0;
  // Pieces of a line that spans chunk boundaries; joined once its newline arrives.
  let pending: Buffer[] = [];
  let pendingOffset = 0;

  const emit = (raw: Buffer, offset: number): void => {
    lineNo += 1;
    let bytes = raw;
    let start = offset;
    if (lineNo === 1 && bytes.subarray(0, 3).equals(BOM)) {
      bytes = bytes.subarray(3);
      start += 3;
    }
    if (bytes.length > 0 && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
    visit({ line: lineNo, offset: start, bytes });
  };

  const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      options.signal?.throwIfAborted();
      hash.update(chunk);
      const chunkOffset = fileOffset;
      fileOffset += chunk.length;
      let start = 0;
      let nl = chunk.indexOf(LF);
      if (pending.length > 0) {
        if (nl === -1) {
          pending.push(chunk);
          options.onChunk?.(fileOffset);
          continue;
        }
        emit(Buffer.concat([...pending, chunk.subarray(0, nl)]), pendingOffset);
        pending = [];
        start = nl + 1;
        nl = chunk.indexOf(LF, start);
      }
      while (nl !== -1) {
        emit(chunk.subarray(start, nl), chunkOffset + start);
        start = nl + 1;
        nl = chunk.indexOf(LF, start);
      }
      if (start < chunk.length) {
        pending = [chunk.subarray(start)];
        pendingOffset = chunkOffset + start;
      }
      options.onChunk?.(fileOffset);
    }
  } finally {
    stream.destroy();
  }
  // A last line without a final newline is still a line.
  if (pending.length > 0) emit(Buffer.concat(pending), pendingOffset);
  return { sha256: hash.digest('hex'), bytes: fileOffset, lines: lineNo };
}
