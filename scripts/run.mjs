// Small helpers shared by the root scripts: run a command with inherited stdio, no shell.
import { spawn } from 'node:child_process';

export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: options.capture ? ['inherit', 'pipe', 'inherit'] : 'inherit', shell: false, env: options.env ?? process.env });
    let out = '';
    if (options.capture) {
      child.stdout.on('data', (chunk) => {
        out += chunk;
        if (options.echo) process.stdout.write(chunk);
      });
    }
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), out }));
  });
}

export const turbo = new URL('../node_modules/.bin/turbo', import.meta.url).pathname;
