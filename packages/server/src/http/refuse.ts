import type { ServerResponse } from 'node:http';
import { TRPC_ERROR_CODES_BY_KEY, type TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';

/** Why the edge turned a request away before tRPC saw it. */
export const REFUSAL = {
  hostNotAllowed: { status: 403, code: 'FORBIDDEN' },
  originNotAllowed: { status: 403, code: 'FORBIDDEN' },
  bodyTooLarge: { status: 413, code: 'PAYLOAD_TOO_LARGE' },
  urlTooLong: { status: 414, code: 'BAD_REQUEST' },
} as const satisfies Record<string, { status: number; code: TRPC_ERROR_CODE_KEY }>;
export type RefusalKind = keyof typeof REFUSAL;

/**
 * Answers with tRPC's error shape, so the CLI's client shows the message as it does any API error, and
 * closes the connection: whatever the client still sends is not read.
 */
export function refuse(res: ServerResponse, kind: RefusalKind, message: string): void {
  const { status, code } = REFUSAL[kind];
  const body = JSON.stringify({ error: { message, code: TRPC_ERROR_CODES_BY_KEY[code], data: { code, httpStatus: status, refusal: kind } } });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' });
  res.end(body);
}
