// How every tool is measured: as a child process under GNU `time -v`. Wall time is taken here with
// a monotonic clock around the child's whole life; peak RSS is time's "Maximum resident set size",
// the kernel's ru_maxrss from wait4, i.e. the largest RSS of the child or of any process it waited
// for (for a shell pipeline such as `cat | wc -c`, the largest single process of it, not the sum).
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TIME_BIN } from './tools.mjs';

/** @returns {Promise<{ wallS: number, peakRssMb: number, stdout: string, stderr: string, code: number }>} */
export function measure(command, args, { scratchDir, env } = {}) {
  const report = join(scratchDir, `time-${process.pid}-${Date.now()}.txt`);
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(TIME_BIN, ['-v', '-o', report, command, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallS = Number(process.hrtime.bigint() - started) / 1e9;
      let peakRssMb = NaN;
      try {
        const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(readFileSync(report, 'utf8'));
        if (kb) peakRssMb = Number(kb[1]) / 1024;
      } finally {
        rmSync(report, { force: true });
      }
      resolve({ wallS, peakRssMb, stdout, stderr, code: code ?? -1 });
    });
  });
}

/** Counts lines and lines containing `needle` in files, reading large chunks (outside any timing). */
export function countLines(files, needle = '"kind":"trait"') {
  const buf = Buffer.allocUnsafe(16 << 20);
  const pattern = Buffer.from(needle);
  let lines = 0;
  let matches = 0;
  for (const file of files) {
    const fd = openSync(file, 'r');
    let carry = Buffer.alloc(0);
    try {
      for (;;) {
        const n = readSync(fd, buf, 0, buf.length, null);
        if (n === 0) break;
        const chunk = carry.length > 0 ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
        // Only whole lines are searched; the tail after the last LF waits for the next chunk.
        const end = chunk.lastIndexOf(10) + 1;
        for (let i = chunk.indexOf(10); i !== -1 && i < end; i = chunk.indexOf(10, i + 1)) lines += 1;
        for (let i = chunk.indexOf(pattern); i !== -1 && i < end; i = chunk.indexOf(pattern, i + 1)) matches += 1;
        carry = Buffer.from(chunk.subarray(end));
      }
      if (carry.length > 0) {
        lines += 1;
        if (carry.indexOf(pattern) !== -1) matches += 1;
      }
    } finally {
      closeSync(fd);
    }
  }
  return { lines, matches };
}
