import { isAbsolute } from 'node:path';
import { InvalidSubmitRequestError } from './errors.js';
import type { SubmitRequest } from './backend.js';

/**
 * Checks what every backend needs from a request. NUL bytes are refused because no OS can pass them in
 * argv or env; `=` in an env name would silently change another variable.
 */
export function validateSubmitRequest(request: SubmitRequest, options: { multiNode?: boolean } = {}): SubmitRequest {
  const issues: string[] = [];
  // Only a scheduler that allocates several nodes and enforces time limits may be asked for them.
  if (!options.multiNode) {
    if (request.resources.nodes !== undefined && request.resources.nodes !== 1) issues.push('resources.nodes: this backend runs a job on one node');
    if (request.timeLimitMinutes !== undefined) issues.push('timeLimitMinutes: this backend enforces no time limit');
  }
  if (request.idempotencyKey.length === 0) issues.push('idempotencyKey: empty');
  if (request.idempotencyKey.includes('\0')) issues.push('idempotencyKey: contains a NUL byte');
  if (request.command.length === 0) issues.push('command: empty argv');
  if (request.command[0] === '') issues.push('command[0]: empty program');
  request.command.forEach((arg, i) => {
    if (typeof arg !== 'string') issues.push(`command[${i}]: not a string`);
    else if (arg.includes('\0')) issues.push(`command[${i}]: contains a NUL byte`);
  });
  for (const [name, value] of Object.entries(request.env)) {
    if (name === '' || name.includes('=') || name.includes('\0')) issues.push(`env: invalid name ${JSON.stringify(name)}`);
    if (typeof value !== 'string') issues.push(`env.${name}: not a string`);
    else if (value.includes('\0')) issues.push(`env.${name}: contains a NUL byte`);
  }
  if (!isAbsolute(request.cwd)) issues.push('cwd: must be an absolute path');
  if (!isAbsolute(request.outputDir)) issues.push('outputDir: must be an absolute path');
  const { cpus, gpus, memoryGb } = request.resources;
  if (!(Number.isFinite(cpus) && cpus > 0)) issues.push('resources.cpus: must be > 0');
  if (!(Number.isInteger(gpus) && gpus >= 0)) issues.push('resources.gpus: must be an integer >= 0');
  if (memoryGb !== undefined && !(Number.isFinite(memoryGb) && memoryGb > 0)) issues.push('resources.memoryGb: must be > 0');
  if (issues.length > 0) throw new InvalidSubmitRequestError(issues);
  return request;
}
