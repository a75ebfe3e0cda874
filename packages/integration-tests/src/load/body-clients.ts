import { request } from 'node:http';

export interface BodyLoadOptions {
  /** The API's base URL; must be loopback. */
  readonly apiUrl: string;
  readonly clients: number;
  readonly durationMs: number;
  /** The API's `api.maxBodyBytes`: every body is exactly this long. */
  readonly bodyBytes: number;
  /** Upper bound on requests per client, whatever the duration. */
  readonly maxRequestsPerClient: number;
  /** Per request; a request that takes longer counts as an error. */
  readonly requestTimeoutMs: number;
}

export interface BodyLoadFigures {
  readonly requests: number;
  readonly megabytesSent: number;
  /** HTTP status → count; `error` for requests that got no answer. */
  readonly statuses: Readonly<Record<string, number>>;
  readonly maxLatencyMs: number;
}

/**
 * A launch request of exactly `bytes` bytes that is valid JSON and an invalid spec (its `spec` lacks
 * everything but metadata), so the API reads and parses all of it, validates, and stores nothing.
 */
export function maxSizeLaunchBody(bytes: number, tag: string): Buffer {
  const head = `{"clientRequestId":"load-body-${tag}","spec":{"apiVersion":"ballast.dev/v1alpha1","kind":"Experiment","metadata":{"name":"load-body","description":"`;
  const tail = '"}}}';
  const padding = bytes - Buffer.byteLength(head) - Buffer.byteLength(tail);
  if (padding < 0) throw new Error(`a body of ${bytes} bytes cannot hold a launch request`);
  return Buffer.from(head + 'x'.repeat(padding) + tail);
}

function post(url: URL, body: Buffer, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length }, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(String(res.statusCode)));
      res.on('error', () => resolve('error'));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve('error'));
    req.end(body);
  });
}

/** `clients` loops that POST maximum-size bodies to `experiments.launch` until the duration or the count runs out. */
export async function sendMaxSizeBodies(options: BodyLoadOptions): Promise<BodyLoadFigures> {
  const url = new URL('experiments.launch', options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) throw new Error(`the load clients only talk to loopback, not ${url.hostname}`);
  const statuses: Record<string, number> = {};
  let requests = 0;
  let maxLatencyMs = 0;
  const deadline = Date.now() + options.durationMs;
  const client = async (index: number) => {
    for (let n = 0; n < options.maxRequestsPerClient && Date.now() < deadline; n++) {
      const body = maxSizeLaunchBody(options.bodyBytes, `${index}-${n}`);
      const started = Date.now();
      const status = await post(url, body, options.requestTimeoutMs);
      maxLatencyMs = Math.max(maxLatencyMs, Date.now() - started);
      statuses[status] = (statuses[status] ?? 0) + 1;
      requests++;
    }
  };
  await Promise.all(Array.from({ length: options.clients }, (_, i) => client(i)));
  return { requests, megabytesSent: (requests * options.bodyBytes) / 2 ** 20, statuses, maxLatencyMs };
}
