import { open } from 'node:fs/promises';

/** The 1-based line number of the byte at `offset`: one more than the line feeds before it. */
export async function lineAt(path: string, offset: number, signal?: AbortSignal): Promise<number> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    let line = 1;
    for (let pos = 0; pos < offset; ) {
      signal?.throwIfAborted();
      const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, offset - pos), pos);
      if (bytesRead === 0) break;
      for (let at = buf.indexOf(0x0a, 0); at !== -1 && at < bytesRead; at = buf.indexOf(0x0a, at + 1)) line++;
      pos += bytesRead;
    }
    return line;
  } finally {
    await fh.close();
  }
}
