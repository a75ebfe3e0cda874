import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import { readBoundedBody } from './bounded-body.js';
import type { HostPolicy } from './host-policy.js';
import { refuse, type RefusalKind } from './refuse.js';

/**
 * GET requests carry their input in the query string. Node refuses request heads over 16 KiB with 431;
 * the URL gets a tighter bound of its own, far above what any procedure's input needs.
 */
export const MAX_URL_BYTES = 8 * 1024;

export interface EdgeOptions {
  readonly hosts: HostPolicy;
  readonly maxBodyBytes: number;
  readonly log: Logger;
}

/** A request listener and the matching `checkContinue` listener. */
export interface GuardedListeners {
  readonly onRequest: RequestListener;
  /** Refuses before `100 Continue`, so a client that waits for it never sends a body that is refused. */
  readonly onCheckContinue: RequestListener;
}

type Refusal = { readonly kind: RefusalKind; readonly message: string };

/** Everything that can be refused from the request head alone. */
function refusalOf(req: IncomingMessage, options: EdgeOptions): Refusal | null {
  if ((req.url ?? '').length > MAX_URL_BYTES) {
    return { kind: 'urlTooLong', message: `request URL is longer than ${MAX_URL_BYTES} bytes; send large inputs as a POST body` };
  }
  if (!options.hosts.allowsHost(req.headers.host)) {
    return { kind: 'hostNotAllowed', message: 'this API does not answer to the Host this request named; add the name to api.allowedHosts (BALLAST_API_ALLOWED_HOSTS) if it is this server' };
  }
  if (!options.hosts.allowsOrigin(req.headers.origin)) {
    return { kind: 'originNotAllowed', message: 'requests from this Origin are not allowed; add its host to api.allowedHosts (BALLAST_API_ALLOWED_HOSTS) if it is trusted' };
  }
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > options.maxBodyBytes) return tooLarge(options.maxBodyBytes);
  return null;
}

function tooLarge(maxBodyBytes: number): Refusal {
  return { kind: 'bodyTooLarge', message: `request body is larger than api.maxBodyBytes (${maxBodyBytes} bytes)` };
}

function refuseAndLog(req: IncomingMessage, res: ServerResponse, refusal: Refusal, log: Logger): void {
  // Header values are the client's text: they go to the log JSON-escaped, never into the answer.
  log('warn', `api refused a request: ${refusal.kind}`, { method: req.method, host: req.headers.host ?? null, origin: req.headers.origin ?? null });
  refuse(res, refusal.kind, refusal.message);
}

/**
 * Wraps the tRPC handler with the checks of the API's edge: URL length, Host, Origin, and the body
 * limit. The body is read here (at most `maxBodyBytes` of it) and handed to tRPC as `req.body`, so an
 * oversized body is never buffered, whether it declares its length or not.
 */
export function guardRequests(handler: RequestListener, options: EdgeOptions): GuardedListeners {
  const readThenHandle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBoundedBody(req, options.maxBodyBytes);
    if (body.kind === 'aborted') return;
    if (body.kind === 'tooLarge') return refuseAndLog(req, res, tooLarge(options.maxBodyBytes), options.log);
    // tRPC's node adapter takes a string `req.body` as the request body instead of reading the stream.
    (req as IncomingMessage & { body?: string }).body = body.text;
    handler(req, res);
  };
  const guarded = (continueFirst: boolean): RequestListener => (req, res) => {
    const refusal = refusalOf(req, options);
    if (refusal) return refuseAndLog(req, res, refusal, options.log);
    if (continueFirst) res.writeContinue();
    void readThenHandle(req, res);
  };
  return { onRequest: guarded(false), onCheckContinue: guarded(true) };
}
