import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ContractInputError, readMarker } from '@ballast/job-contract';
import { readKnownTruth, type KnownTruthRecord } from './known-truth.js';
import { INITIAL_POLICY_URI, initialPolicy, initialPolicyHash, parsePolicy, type PolicyParams } from './policy.js';

export const PARAMS_FILE = 'params.json';
export const TRAINER_STATE_FILE = 'trainer-state.json';

export interface LoadedPolicy {
  readonly params: PolicyParams;
  /** Content hash of the checkpoint it came from; seeds the evaluator's sampling. */
  readonly contentHash: string;
  /** SIMULATED known-truth mode: set when the checkpoint was trained with `trainer.simulatedTruth`. */
  readonly knownTruth: KnownTruthRecord | null;
}

/**
 * Loads policy parameters from `reference://init` or a committed checkpoint dir (plain path or
 * file:// URI). A dir without a COMPLETE marker is refused: it is not a checkpoint yet.
 */
export async function loadPolicy(source: string): Promise<LoadedPolicy> {
  if (source === INITIAL_POLICY_URI) return { params: initialPolicy(), contentHash: initialPolicyHash(), knownTruth: null };
  const dir = source.startsWith('file://') ? new URL(source).pathname : source;
  const marker = await readMarker(dir);
  if (marker === null) {
    throw ContractInputError.badFile(dir, [{ path: 'COMPLETE', message: 'missing or invalid: not a committed checkpoint' }]);
  }
  let text: string;
  try {
    text = await readFile(join(dir, PARAMS_FILE), 'utf8');
  } catch (err) {
    throw ContractInputError.badFile(dir, [{ path: PARAMS_FILE, message: `cannot be read: ${(err as Error).message}` }]);
  }
  let params: PolicyParams;
  try {
    params = parsePolicy(text);
  } catch (err) {
    throw ContractInputError.badFile(join(dir, PARAMS_FILE), [{ path: '(root)', message: (err as Error).message }]);
  }
  return { params, contentHash: marker.contentHash, knownTruth: await readKnownTruth(dir) };
}
