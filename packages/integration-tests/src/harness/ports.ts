import { createServer } from 'node:net';

// Below Linux's ephemeral range (32768-60999): ports the OS hands out for `listen(0)` (the Temporal
// dev server's HTTP and metrics ports, for one) can then never collide with the ones tests pick.
const LOW = 20_000;
const HIGH = 32_000;

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A TCP port, outside the ephemeral range, that was free on loopback a moment ago. */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 200; tries++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port between ${LOW} and ${HIGH}`);
}
