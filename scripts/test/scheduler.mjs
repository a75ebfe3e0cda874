// Runs packages' `test` scripts, `slots` at a time, in the order given (longest first keeps the tail
// short), each in its own process group so that a deadline or Ctrl-C can end a package's whole tree.
// Output lines are prefixed with the package name. It is what `turbo run test --concurrency=N` does,
// plus an order and a kill switch, which turbo has not.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';

function prefixLines(name, write) {
  let pending = '';
  const flush = (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop();
    for (const line of lines) write(`${name}: ${line}\n`);
  };
  flush.end = () => {
    if (pending) write(`${name}: ${pending}\n`);
    pending = '';
  };
  return flush;
}

/** `env(pkg)`: the environment of that package's test processes. */
export function runPackages({ packages, slots, env, root, write = (text) => process.stdout.write(text) }) {
  const queue = [...packages];
  const running = new Map();
  const results = [];
  const bin = [dirname(process.execPath), join(root, 'node_modules', '.bin')];
  let stopped = false;
  let settle;
  const done = new Promise((resolve) => (settle = resolve));

  function startNext() {
    while (!stopped && running.size < slots && queue.length > 0) {
      const pkg = queue.shift();
      const short = pkg.name.replace(/^@ballast\//, '');
      const out = prefixLines(short, write);
      const started = Date.now();
      // The script is the package's own package.json text, run the way npm runs it, minus npm's start-up.
      const child = spawn('sh', ['-c', pkg.scripts.test], {
        cwd: pkg.dir,
        env: { ...env(pkg), PATH: [join(pkg.dir, 'node_modules', '.bin'), ...bin, env(pkg).PATH].join(':') },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      child.stdout.setEncoding('utf8').on('data', out);
      child.stderr.setEncoding('utf8').on('data', out);
      running.set(pkg.name, child);
      let finished = false;
      const finish = (code, signal) => {
        if (finished) return;
        finished = true;
        out.end();
        running.delete(pkg.name);
        results.push({ name: pkg.name, code: code ?? 128, signal, seconds: (Date.now() - started) / 1000 });
        if (running.size === 0 && (queue.length === 0 || stopped)) settle(results);
        else startNext();
      };
      // 'close' waits for the pipes, which a daemon a test started and left behind may hold open: after
      // the exit, give the last output two seconds to arrive, not forever.
      child.on('close', finish);
      child.on('exit', (code, signal) => setTimeout(() => finish(code, signal), 2000).unref());
    }
  }

  /** Ends every running package's process group: SIGTERM, then SIGKILL after `graceMs`. */
  async function stop(graceMs = 5000) {
    stopped = true;
    const groups = [...running.values()].map((child) => child.pid);
    const signalAll = (signal) => {
      for (const pid of groups) {
        try {
          process.kill(-pid, signal);
        } catch {
          // Already gone.
        }
      }
    };
    signalAll('SIGTERM');
    const timer = setTimeout(() => signalAll('SIGKILL'), graceMs);
    if (running.size === 0) settle(results);
    await done;
    clearTimeout(timer);
  }

  startNext();
  if (packages.length === 0) settle(results);
  return { done, stop, running: () => [...running.keys()] };
}
