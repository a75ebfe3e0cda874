import type { ResolvedMix } from '@ballast/schema';
import { apportion } from './apportion.js';
import { InvalidMixError } from './errors.js';

/**
 * The exact number of records each component contributes: exact counts as given, and the rest of
 * `totalRecords` split over the fraction components by the largest-remainder method, so the counts
 * always sum to the total.
 */
export function requestedCounts(mix: ResolvedMix): number[] {
  const counted = mix.components.reduce((s, c) => s + (c.count ?? 0), 0);
  const rest = mix.totalRecords - counted;
  if (rest < 0) throw new InvalidMixError(`exact counts (${counted}) exceed totalRecords (${mix.totalRecords})`);
  const fractional = mix.components.flatMap((c, i) => (c.fraction === null ? [] : [i]));
  if (fractional.length === 0 && rest > 0) {
    throw new InvalidMixError(`exact counts sum to ${counted} but totalRecords is ${mix.totalRecords}`);
  }
  const shares = apportion(rest, fractional.map((i) => mix.components[i]!.fraction!));
  const out = mix.components.map((c) => c.count ?? 0);
  fractional.forEach((i, k) => {
    out[i] = shares[k]!;
  });
  return out;
}
