import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpAnswer {
  status: number;
  text: string;
}

/** One HTTP exchange; rejects on network errors and when `timeoutMs` passes without a complete answer. */
export type HttpTransport = (method: 'GET' | 'POST', url: URL, body: string | undefined, timeoutMs: number) => Promise<HttpAnswer>;

/**
 * The default transport, on `node:http`. Node's global `fetch` cannot be used: it always sends
 * `Sec-Fetch-Mode`, from which Ray's dashboard concludes the caller is a browser and refuses every POST
 * ("method not allowed for browser traffic").
 */
export const nodeHttpTransport: HttpTransport = (method, url, body, timeoutMs) =>
  new Promise<HttpAnswer>((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'ballast-ray-backend' };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    const req = send(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    const timer = setTimeout(() => req.destroy(new Error(`no complete answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(body);
  });

/** Adapts a `fetch` (a test double, an instrumented client) to the transport; it must not send browser headers to Ray. */
export function fetchTransport(fetchImpl: typeof fetch): HttpTransport {
  return async (method, url, body, timeoutMs) => {
    const init: RequestInit = { method, signal: AbortSignal.timeout(timeoutMs) };
    if (body !== undefined) {
      init.body = body;
      init.headers = { 'content-type': 'application/json' };
    }
    const response = await fetchImpl(url, init);
    return { status: response.status, text: await response.text() };
  };
}
