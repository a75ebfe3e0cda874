import { connect } from 'node:net';
import { sleep } from './proc.js';

/** Thrown when a service did not become ready before its deadline. */
export class ServiceStartTimeoutError extends Error {
  readonly code = 'SERVICE_START_TIMEOUT';
  constructor(
    readonly service: string,
    readonly timeoutMs: number,
    readonly logFile: string,
  ) {
    super(`${service} did not become ready within ${Math.round(timeoutMs / 1000)} s; see ${logFile}`);
    this.name = 'ServiceStartTimeoutError';
  }
}

/** True when something accepts TCP connections on host:port. */
export async function isPortOpen(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return await new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Polls `probe` until it returns true; `alive` lets a crashed process fail fast instead of waiting. */
export async function waitUntil(
  probe: () => Promise<boolean>,
  options: { timeoutMs: number; intervalMs?: number; alive?: () => boolean; onTimeout: () => Error },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    if (options.alive && !options.alive()) throw options.onTimeout();
    await sleep(options.intervalMs ?? 200);
  }
  throw options.onTimeout();
}
