import type { IncomingMessage } from 'node:http';

/** The body of a request, or `tooLarge` as soon as more than `maxBytes` arrived (the rest is not read). */
export type BoundedBody = { readonly kind: 'read'; readonly text: string } | { readonly kind: 'tooLarge' } | { readonly kind: 'aborted' };

/**
 * Reads a request body while counting its bytes, so a chunked body (no Content-Length) cannot grow the
 * server's memory beyond `maxBytes` either.
 */
export function readBoundedBody(req: IncomingMessage, maxBytes: number): Promise<BoundedBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BoundedBody) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('aborted', onAbort);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        chunks.length = 0;
        req.pause();
        finish({ kind: 'tooLarge' });
      } else {
        chunks.push(chunk);
      }
    };
    const onEnd = () => finish({ kind: 'read', text: Buffer.concat(chunks).toString('utf8') });
    const onAbort = () => finish({ kind: 'aborted' });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('aborted', onAbort);
  });
}
