import { createHash } from 'node:crypto';
import type { ResolvedMix } from '@ballast/schema';
import { canonicalJson } from '@ballast/schema/canonical-json';
import { InvalidMixError } from './errors.js';

/**
 * Version of the selection algorithm. Part of every mixId: bump it whenever a change would make the
 * same spec and sources select or order records differently, so old ids never name new bytes.
 */
export const MIXER_VERSION = 2;

/** Accepts `sha256:<hex>` or bare hex; returns bare lowercase hex. */
export function normaliseSha256(value: string, what: string): string {
  const hex = value.replace(/^sha256:/, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new InvalidMixError(`${what}: sha256 must be 64 hex digits, got '${value}'`);
  return hex;
}

/**
 * The content address of a mix: 'mix_' + 24 hex of sha256 over the mix, the sha256 of each dataset it
 * draws from, and the mixer version. Sources the mix does not use do not change the id, and filter
 * lists are sorted first because their order does not change which records match.
 */
export function computeMixId(mix: ResolvedMix, sources: Readonly<Record<string, { sha256: string }>>): string {
  const used: Record<string, string> = {};
  for (const c of mix.components) {
    const source = sources[c.dataset];
    if (source === undefined) throw new InvalidMixError(`component '${c.name}' draws from '${c.dataset}', which has no source`);
    used[c.dataset] = normaliseSha256(source.sha256, `source '${c.dataset}'`);
  }
  const normalised = {
    ...mix,
    components: mix.components.map((c) => ({ ...c, filter: sortFilterLists(c.filter) })),
  };
  const digest = createHash('sha256')
    .update(canonicalJson({ mix: normalised, sources: used, mixerVersion: MIXER_VERSION }))
    .digest('hex');
  return `mix_${digest.slice(0, 24)}`;
}

function sortFilterLists(filter: ResolvedMix['components'][number]['filter']): unknown {
  const out: Record<string, { in?: string[]; notIn?: string[] }> = {};
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    out[key] = {
      ...(value.in === undefined ? {} : { in: [...new Set<string>(value.in)].sort() }),
      ...(value.notIn === undefined ? {} : { notIn: [...new Set<string>(value.notIn)].sort() }),
    };
  }
  return out;
}
