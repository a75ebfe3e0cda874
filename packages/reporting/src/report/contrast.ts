import type { ContrastEstimate } from '@ballast/schema';
import type { LinearContrast } from '../statistics/linear-contrast.js';
import type { ArmInput, RunResults } from './input.js';

/** A contrast as the report stores it (the standardising SD is the builder's, not the reader's). */
export function contrastEstimate(c: LinearContrast): ContrastEstimate {
  const { sdOfContrast: _sd, ...fields } = c;
  return fields;
}

/**
 * The runs of several arms aligned by replicate number: entry j holds arm j's runs, in replicate
 * order, for exactly the replicates every arm has (replicate K of each arm forms seed K); a replicate
 * only some arms have is left out, as in a two-arm comparison.
 */
export function alignedReplicates(arms: readonly ArmInput[]): RunResults[][] {
  const shared = [...new Set(arms[0]?.runs.map((r) => r.replicate) ?? [])]
    .filter((k) => arms.every((a) => a.runs.some((r) => r.replicate === k)))
    .sort((a, b) => a - b);
  return arms.map((a) => shared.map((k) => a.runs.find((r) => r.replicate === k) as RunResults));
}
