import { createHash, randomBytes } from 'node:crypto';
import { makeId } from '@ballast/schema';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A fresh random id body: 20 base-36 characters (~103 bits). */
export function randomIdBody(): string {
  const bytes = randomBytes(16);
  let out = '';
  for (const b of bytes) out += (b % 36).toString(36);
  return out.padEnd(20, '0').slice(0, 20);
}

export function newExperimentId(): string {
  return makeId('experiment', randomIdBody());
}

/** Arm ids derive from their experiment and name, so a retried launch makes the same arms. */
export function armIdFor(experimentId: string, armName: string): string {
  return makeId('arm', sha256Hex(`${experimentId}/${armName}`).slice(0, 20));
}
