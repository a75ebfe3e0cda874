// Free loopback ports for the services `npm test` starts, in the same range the test harness uses
// (packages/integration-tests/src/harness/ports.ts): below Linux's ephemeral range, so a port the OS
// hands out for `listen(0)` never collides with one picked here; random, so two runs rarely try the same.
import { createServer } from 'node:net';

const LOW = 20_000;
const HIGH = 32_000;

function canListen(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export async function freePort() {
  for (let tries = 0; tries < 200; tries++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port between ${LOW} and ${HIGH}`);
}
