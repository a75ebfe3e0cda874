import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson, MixManifest, ResolvedMix } from '@ballast/schema';
import { apportion } from './apportion.js';
import { writeFileAtomic } from './atomic-file.js';
import { MAX_LISTED_MALFORMED } from './describe-source.js';
import { EligibleRecords } from './eligible.js';
import {
  InvalidMixError,
  MalformedSourceError,
  MixAbortedError,
  MixComponentShortError,
  SourceDigestMismatchError,
  UnknownDatasetError,
  type MalformedLine,
} from './errors.js';
import { matchesFilter } from './filter.js';
import { scanLines } from './lines.js';
import { computeMixId, normaliseSha256 } from './mix-id.js';
import { parseLine } from './record.js';
import { selectInPlace } from './select.js';
import { TagTable } from './tag-counts.js';
import { writeMix } from './write-mix.js';

export const MIX_FILE = 'mix.jsonl';
export const MANIFEST_FILE = 'manifest.json';

export const MixPhase = { scan: 'scan', write: 'write' } as const;
export type MixPhase = (typeof MixPhase)[keyof typeof MixPhase];

export interface MixProgress {
  readonly phase: MixPhase;
  /** Records scanned (scan) or written (write) so far, over all sources. */
  readonly records: number;
  /** Source bytes read (scan) or output bytes written (write) so far. */
  readonly bytes: number;
}

export interface MixSource {
  readonly path: string;
  readonly uri: string;
  /** As registered; the scan recomputes it and refuses a file that no longer matches. */
  readonly sha256: string;
}

export interface BuildMixOptions {
  readonly mix: ResolvedMix;
  /** Keyed by dataset name; sources no component draws from are ignored. */
  readonly sources: Readonly<Record<string, MixSource>>;
  readonly outDir: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: MixProgress) => void;
}

/**
 * Builds `outDir/mix.jsonl` and `outDir/manifest.json` from the sources, streaming each source twice
 * (scan, then copy of the selected byte ranges). The manifest is written last: its presence is what
 * marks the mix complete, so an abort or failure never leaves one behind.
 */
export async function buildMix(options: BuildMixOptions): Promise<MixManifest> {
  const { outDir, signal, onProgress } = options;
  const mix = validateMix(options.mix);
  const datasets = usedDatasets(mix, options.sources);
  const mixId = computeMixId(mix, options.sources);
  const requested = apportion(
    mix.totalRecords,
    mix.components.map((c) => c.fraction),
  );

  try {
    signal?.throwIfAborted();
    const tags = new TagTable();
    const eligible = mix.components.map(() => new EligibleRecords());
    const scanned = new Map<string, { sha256: string; bytes: number; records: number }>();
    let recordsSoFar = 0;
    let bytesBefore = 0;

    for (const [dataset, source] of datasets) {
      // Components drawing from this dataset, in spec order: a record goes to the first that matches.
      const takers = mix.components.flatMap((c, i) => (c.dataset === dataset ? [{ filter: c.filter, list: eligible[i] }] : []));
      const malformed: MalformedLine[] = [];
      let malformedCount = 0;
      let records = 0;
      const scan = await scanLines(
        source.path,
        ({ line, offset, bytes }) => {
          const parsed = parseLine(bytes);
          if (parsed.type === 'blank') return;
          if (parsed.type === 'malformed') {
            malformedCount += 1;
            if (malformed.length < MAX_LISTED_MALFORMED) malformed.push({ line, reason: parsed.reason });
            return;
          }
          records += 1;
          const taker = takers.find((t) => matchesFilter(t.filter, parsed.tags));
          taker?.list?.push(offset, bytes.length, tags.intern(parsed.tags));
        },
        {
          ...(signal === undefined ? {} : { signal }),
          onChunk: (bytes) => onProgress?.({ phase: MixPhase.scan, records: recordsSoFar + records, bytes: bytesBefore + bytes }),
        },
      );
      // Digest first: if the file is not the registered one, its malformed lines are beside the point.
      const expected = normaliseSha256(source.sha256, `source '${dataset}'`);
      if (scan.sha256 !== expected) throw new SourceDigestMismatchError(dataset, source.path, expected, scan.sha256);
      if (malformedCount > 0) throw new MalformedSourceError(dataset, source.path, malformed);
      signal?.throwIfAborted();
      scanned.set(dataset, { sha256: scan.sha256, bytes: scan.bytes, records });
      recordsSoFar += records;
      bytesBefore += scan.bytes;
    }

    mix.components.forEach((c, i) => {
      const have = eligible[i]?.size ?? 0;
      const want = requested[i] ?? 0;
      if (have < want) throw new MixComponentShortError(c.name, c.dataset, want, have);
    });
    mix.components.forEach((c, i) => {
      const list = eligible[i];
      if (list !== undefined) selectInPlace(list, requested[i] ?? 0, mix.seed, c.name);
    });

    signal?.throwIfAborted();
    await mkdir(outDir, { recursive: true });
    // A manifest left by an earlier build would vouch for the mix.jsonl we are about to replace.
    await rm(join(outDir, MANIFEST_FILE), { force: true });
    const written = await writeMix({
      path: join(outDir, MIX_FILE),
      components: mix.components.map((c, i) => ({
        dataset: c.dataset,
        path: datasets.get(c.dataset)?.path ?? '',
        sourceBytes: scanned.get(c.dataset)?.bytes ?? 0,
        records: eligible[i] ?? new EligibleRecords(),
        count: requested[i] ?? 0,
      })),
      tagCount: tags.size,
      ...(signal === undefined ? {} : { signal }),
      onProgress: (records, bytes) => onProgress?.({ phase: MixPhase.write, records, bytes }),
    });

    const manifest = MixManifest.parse({
      mixId,
      spec: mix,
      sources: [...datasets]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([dataset, source]) => ({
          dataset,
          uri: source.uri,
          sha256: scanned.get(dataset)?.sha256 ?? '',
          records: scanned.get(dataset)?.records ?? 0,
        })),
      components: mix.components.map((c, i) => ({
        name: c.name,
        dataset: c.dataset,
        requested: requested[i] ?? 0,
        selected: requested[i] ?? 0,
        eligible: eligible[i]?.size ?? 0,
      })),
      records: written.records,
      output: { file: MIX_FILE, sha256: written.sha256, bytes: written.bytes },
      countsByTag: tags.countsByTag(written.countPerTagId),
    });
    signal?.throwIfAborted();
    // Pretty-printed from the canonical form so that key order, and thus the bytes, never vary.
    await writeFileAtomic(join(outDir, MANIFEST_FILE), `${JSON.stringify(JSON.parse(canonicalJson(manifest)), null, 2)}\n`);
    return manifest;
  } catch (err) {
    if (signal?.aborted) throw new MixAbortedError(signal.reason);
    throw err;
  }
}

function validateMix(input: ResolvedMix): ResolvedMix {
  const parsed = ResolvedMix.safeParse(input);
  if (!parsed.success) {
    throw new InvalidMixError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  }
  const mix = parsed.data;
  if (mix.components.length === 0) throw new InvalidMixError('a mix needs at least one component');
  const sum = mix.components.reduce((s, c) => s + c.fraction, 0);
  if (Math.abs(sum - 1) > 1e-9) throw new InvalidMixError(`fractions sum to ${sum}; they must sum to 1`);
  const names = new Set<string>();
  for (const c of mix.components) {
    if (names.has(c.name)) throw new InvalidMixError(`component name '${c.name}' is used twice`);
    names.add(c.name);
  }
  return mix;
}

/** The sources the mix draws from, in order of first use. */
function usedDatasets(mix: ResolvedMix, sources: Readonly<Record<string, MixSource>>): Map<string, MixSource> {
  const used = new Map<string, MixSource>();
  for (const c of mix.components) {
    const source = Object.hasOwn(sources, c.dataset) ? sources[c.dataset] : undefined;
    if (source === undefined) throw new UnknownDatasetError(c.name, c.dataset, Object.keys(sources));
    used.set(c.dataset, source);
  }
  return used;
}
