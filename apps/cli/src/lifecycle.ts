import type { RunningServer } from '@ballast/server';

export type ServerOutcome<T> = { kind: 'done'; value: T } | { kind: 'signal'; signal: NodeJS.Signals } | { kind: 'worker-stopped'; error: unknown };

/**
 * Runs `body` with a server, stopping the server whatever happens: the body ends, SIGINT/SIGTERM
 * arrives (also during startup), or the worker dies. Signal handlers are installed before the server
 * starts so Ctrl-C at any moment leaves nothing running.
 */
export async function withServer<T>(
  start: () => Promise<RunningServer>,
  body: (server: RunningServer) => Promise<T>,
): Promise<ServerOutcome<T>> {
  let onSignal!: (signal: NodeJS.Signals) => void;
  const signalled = new Promise<NodeJS.Signals>((resolve) => {
    onSignal = resolve;
  });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let server: RunningServer | null = null;
  try {
    const starting = start();
    const started = await Promise.race([starting.then((s) => ({ server: s })), signalled.then((signal) => ({ signal }))]);
    if ('signal' in started) {
      // Startup cannot be interrupted halfway; let it finish, then stop everything it started.
      const late = await starting.catch(() => null);
      await late?.stop();
      return { kind: 'signal', signal: started.signal };
    }
    server = started.server;
    const workerStopped = (server.workerDone ?? new Promise<void>(() => undefined)).then(
      () => ({ kind: 'worker-stopped' as const, error: new Error('the worker stopped') }),
      (error: unknown) => ({ kind: 'worker-stopped' as const, error }),
    );
    return await Promise.race([
      body(server).then((value) => ({ kind: 'done' as const, value })),
      signalled.then((signal) => ({ kind: 'signal' as const, signal })),
      workerStopped,
    ]);
  } finally {
    await server?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
