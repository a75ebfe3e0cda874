import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { MixManifest, MixPreview, ResolvedMix } from '@ballast/schema';
import { writeFileAtomic } from './atomic-file.js';
import { InvalidMixError, MixAbortedError, UnknownDatasetError } from './errors.js';
import { computeMixId, MIXER_VERSION } from './mix-id.js';
import { requestedCounts } from './plan.js';
import { RecordReader } from './record-reader.js';
import { InterleaveSchedule } from './schedule.js';
import { CanonicalJsonlCopy, type CopiedBlock } from './copy/canonical-copy.js';
import type { CopyMode } from './native.js';
import { CopyWorker } from './copy/copy-worker.js';
import { releaseIdleScanWorkers } from './sources/scan-file.js';
import { scanEligibility, selectRecords, type EligibilityStats, type SelectionSource } from './selection.js';
import { SpreadMeter } from './spread.js';
import { TagTally } from './tag-counts.js';
import type { SourceRegistration } from './sources/index.js';
import { createOutputWriter, publishOutputs, type MixOutputWriter } from './outputs/index.js';
import { buildContaminationIndex, checkRecord, type ContaminationIndex } from './analysis/index.js';
import { checkPickedRecords, recordCheck, recordUsesOf } from './record-check.js';
import { MalformedSourceError } from './errors.js';

export const MANIFEST_FILE = 'manifest.json';
/** Window over which the even-spread property is measured and reported. */
export const SPREAD_WINDOW = 1000;


export interface MixSourceInput {
  readonly dataset: string;
  readonly uri: string;
  readonly registration: SourceRegistration;
}

export interface MixProgress {
  readonly phase: 'scan' | 'select' | 'write' | 'publish';
  readonly done: number;
  readonly total: number;
  /** Output bytes written so far (write phase). */
  readonly bytes: number;
}

export interface MixEngineOptions {
  readonly mix: ResolvedMix;
  readonly sources: readonly MixSourceInput[];
  /** Benchmark item files, for the contamination check (`mix.decontaminate`). */
  readonly benchmarkItems?: readonly { benchmark: string; path: string }[];
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: MixProgress) => void;
  /** Where the canonical copy's reads and shard writes run (see CopyMode); the output bytes are the same. Default `auto`. */
  readonly copyMode?: CopyMode;
  /**
   * The trainer that will read the mix, when known (an experiment arm): its record requirements are
   * checked on every selected record, with the output formats', before anything is written.
   */
  readonly trainer?: 'reference';
}

/** The sources in the order components first use them: the order deduplication keeps first occurrences in. */
function orderedSources(mix: ResolvedMix, sources: readonly MixSourceInput[]): MixSourceInput[] {
  const out: MixSourceInput[] = [];
  for (const c of mix.components) {
    const source = sources.find((s) => s.dataset === c.dataset);
    if (!source) throw new UnknownDatasetError(c.name, c.dataset, sources.map((s) => s.dataset));
    if (!out.includes(source)) out.push(source);
  }
  if (out.length > 255) throw new InvalidMixError('a mix draws from at most 255 sources');
  for (const c of mix.components) {
    if (c.filter.kind === undefined) continue;
    // A record without a kind would pass every `notIn` and no `in`: refuse rather than guess.
    const reg = out.find((s) => s.dataset === c.dataset)!.registration;
    const missing = reg.tagCounts.kind.none ?? 0;
    if (reg.dictionaries.kind.includes(null)) {
      throw new InvalidMixError(
        `component '${c.name}' filters on kind, but ${missing} record(s) of dataset '${c.dataset}' have no '${reg.tagSchema.kind}'; ` +
          'give every record a kind or drop the kind filter',
      );
    }
  }
  return out;
}

export function mixIdFor(mix: ResolvedMix, sources: readonly MixSourceInput[]): string {
  return computeMixId(mix, Object.fromEntries(sources.map((s) => [s.dataset, { sha256: s.registration.sha256 }])));
}

function coverageOf(mix: ResolvedMix, byTraitDomain: Record<string, Record<string, number>>): MixPreview['coverage'] {
  const warnings: string[] = [];
  for (const c of mix.components) {
    const traits = c.filter.trait?.in ?? [];
    const domains = c.filter.domain?.in ?? [];
    for (const trait of traits.length > 0 ? traits : [null]) {
      for (const domain of domains.length > 0 ? domains : [null]) {
        if (trait === null && domain === null) continue;
        const count = trait === null
          ? Object.values(byTraitDomain).reduce((s, row) => s + (row[domain!] ?? 0), 0)
          : domain === null
            ? Object.values(byTraitDomain[trait] ?? {}).reduce((s, n) => s + n, 0)
            : (byTraitDomain[trait]?.[domain] ?? 0);
        if (count === 0) {
          warnings.push(`component '${c.name}' asks for ${[trait && `trait ${trait}`, domain && `domain ${domain}`].filter(Boolean).join(' × ')} but the mix has no such record`);
        }
      }
    }
  }
  return { byTraitDomain, warnings };
}

/** Counts, coverage and size of a mix without writing it. */
export async function previewMix(options: MixEngineOptions): Promise<MixPreview> {
  const sources = orderedSources(options.mix, options.sources);
  const mixId = mixIdFor(options.mix, sources);
  const requested = requestedCounts(options.mix);
  const stats = await scanEligibility({
    mix: options.mix,
    sources: sources as SelectionSource[],
    signal: options.signal,
    onProgress: (done) => options.onProgress?.({ phase: 'scan', done, total: totalRecords(sources), bytes: 0 }),
  });
  const warnings: string[] = [];
  let error: string | null = null;
  const components = options.mix.components.map((c, i) => {
    const want = requested[i]!;
    const have = stats.eligible[i]!;
    const cap = c.upsample ? Math.floor(c.upsample.maxFactor * have) : have;
    const upsampled = have < want && want <= cap && have > 0 ? want - have : 0;
    const shortBy = have < want && upsampled === 0 ? want - have : 0;
    if (shortBy > 0) error ??= `component '${c.name}' needs ${want} records from dataset '${c.dataset}' but only ${have} are eligible`;
    if (upsampled > 0) warnings.push(`component '${c.name}' would be upsampled: ${upsampled} repeats`);
    return { name: c.name, dataset: c.dataset, requested: want, eligible: have, lostToEarlier: stats.lostToEarlier[i]!, shortBy, upsampled };
  });
  // Expected selected records by trait × domain: each component's eligible cells scaled to its request.
  const expected: Record<string, Record<string, number>> = {};
  options.mix.components.forEach((_, i) => {
    const scale = stats.eligible[i]! === 0 ? 0 : requested[i]! / stats.eligible[i]!;
    for (const [trait, row] of Object.entries(stats.eligibleByTraitDomain[i]!)) {
      for (const [domain, n] of Object.entries(row)) {
        const target = (expected[trait] ??= {});
        target[domain] = (target[domain] ?? 0) + Math.round(n * scale);
      }
    }
  });
  const estimatedBytes = options.mix.components.reduce(
    (sum, _, i) => sum + (stats.eligible[i]! === 0 ? 0 : (stats.eligibleBytes[i]! / stats.eligible[i]!) * requested[i]!),
    0,
  );
  const coverage = coverageOf(options.mix, expected);
  // What build would write is checked here with the same selection and the same record check, so that
  // a preview that passes is a build that does not fail on a record.
  let recordsChecked = 0;
  const check = error === null ? await recordCheck(recordUsesOf(options.mix, options.trainer)) : null;
  if (check !== null) {
    const selection = await selectRecords({ mix: options.mix, sources: sources as SelectionSource[], requested, stats, signal: options.signal });
    try {
      recordsChecked = await checkPickedRecords(check, sources, selection.picks, options.signal);
    } catch (err) {
      if (!(err instanceof MalformedSourceError)) throw err;
      error = err.message;
    }
  }
  return {
    mixId,
    records: options.mix.totalRecords,
    components,
    duplicatesRemoved: stats.duplicatesBySource.reduce((s, n) => s + n, 0),
    sources: sources.map((s) => ({
      dataset: s.dataset,
      records: s.registration.records,
      malformed: s.registration.malformed.count,
      quarantine: s.registration.quarantinePath,
    })),
    recordsChecked,
    estimatedBytes: Math.round(estimatedBytes + requested.reduce((s, n) => s + n, 0)),
    coverage,
    warnings: [...warnings, ...coverage.warnings],
    error,
  };
}

function totalRecords(sources: readonly MixSourceInput[]): number {
  return sources.reduce((s, x) => s + x.registration.records, 0);
}

export function mixDirectory(mixesDir: string, mixId: string): string {
  return join(mixesDir, mixId);
}

export async function readMixManifest(dir: string): Promise<MixManifest | null> {
  const file = join(dir, MANIFEST_FILE);
  if (!existsSync(file)) return null;
  // Loaded here, not at the top: a mix build that is not a cache hit never needs zod (about 85 ms to
  // load in a fresh process), since the manifest it writes is typed by MixManifest and read back here.
  const { MixManifest } = await import('@ballast/schema');
  return MixManifest.parse(JSON.parse(await readFile(file, 'utf8')));
}

/**
 * Builds a mix into `mixesDir/<mixId>/`: selects on the sources' indexes, writes every requested
 * output format in sharded files, and publishes the whole directory with one rename, manifest inside.
 * A mix that already exists is a cache hit that does no work. An abort or failure leaves nothing.
 */
export async function buildMix(options: MixEngineOptions & { mixesDir: string }): Promise<{ manifest: MixManifest; dir: string; cacheHit: boolean }> {
  const { mix, signal } = options;
  const sources = orderedSources(mix, options.sources);
  const mixId = mixIdFor(mix, sources);
  const dir = mixDirectory(options.mixesDir, mixId);
  const existing = await readMixManifest(dir);
  if (existing) return { manifest: existing, dir, cacheHit: true };

  // The shards' sha256 runs on a worker: start it now, so that it is up by the time selection is done.
  if (mix.output.formats.includes('jsonl')) CopyWorker.start();
  // Registration's idle scan workers hold memory a build does not need.
  void releaseIdleScanWorkers();
  const requested = requestedCounts(mix);
  const total = totalRecords(sources);
  const contamination = mix.decontaminate && options.benchmarkItems?.length
    ? await buildContaminationIndex([...options.benchmarkItems], mix.decontaminate.ngram)
    : null;
  const exclusionReader = contamination && mix.decontaminate?.exclude ? new RecordReader(sources.map((s) => s.registration.dataPath)) : null;
  let stats: EligibilityStats;
  try {
    stats = await scanEligibility({
      mix,
      sources: sources as SelectionSource[],
      signal,
      onProgress: (done) => options.onProgress?.({ phase: 'scan', done, total, bytes: 0 }),
      ...(exclusionReader && contamination ? { exclude: await exclusionFor(sources, exclusionReader, contamination) } : {}),
    });
  } finally {
    exclusionReader?.close();
  }
  const selection = await selectRecords({
    mix,
    sources: sources as SelectionSource[],
    requested,
    stats,
    signal,
    onProgress: (done) => options.onProgress?.({ phase: 'select', done, total, bytes: 0 }),
  });
  const check = await recordCheck(recordUsesOf(mix, options.trainer));
  if (check !== null) await checkPickedRecords(check, sources, selection.picks, signal);

  await mkdir(options.mixesDir, { recursive: true });
  const staging = join(options.mixesDir, `.staging-${mixId}-${randomBytes(4).toString('hex')}`);
  // Canonical JSONL is copied by byte range in blocks; the trainer formats get each record from the block.
  const canonical = new CanonicalJsonlCopy({
    sources: sources.map((s) => ({ dataset: s.dataset, path: s.registration.dataPath })),
    stagingDir: mix.output.formats.includes('jsonl') ? join(staging, 'jsonl') : null,
    shardBytes: mix.output.shardBytes,
    mode: options.copyMode ?? 'auto',
  });
  const writers = new Map<string, MixOutputWriter>();
  const tags = new TagTally(sources.map((s) => s.registration.dictionaries));
  const meter = new SpreadMeter(Math.min(SPREAD_WINDOW, Math.max(mix.totalRecords, 1)), requested);
  const overlaps: { recordId: string; benchmark: string; itemId: string }[] = [];
  let overlapping = 0;
  // The source of each record added and not yet visited (contamination only): a block does not say,
  // and each source names its id field in its own tag schema.
  const pendingSources: number[] = [];
  let visited = 0;
  const visit =
    mix.output.formats.every((format) => format === 'jsonl') && !contamination
      ? undefined
      : async (block: CopiedBlock): Promise<void> => {
          for (let i = 0; i < block.records; i++) {
            const record = block.record(i);
            if (contamination) {
              const source = pendingSources[visited++]!;
              const hits = checkRecord(contamination, record);
              if (hits.length > 0) {
                overlapping += 1;
                if (overlaps.length < 100) {
                  overlaps.push({ recordId: recordIdOf(record, sources[source]!.registration.tagSchema.id), benchmark: hits[0]!.benchmark, itemId: hits[0]!.itemId });
                }
              }
            }
            for (const writer of writers.values()) await writer.write(record);
          }
          if (contamination) {
            pendingSources.splice(0, visited);
            visited = 0;
          }
        };
  try {
    for (const format of mix.output.formats) {
      if (format !== 'jsonl') writers.set(format, createOutputWriter({ format, stagingDir: join(staging, format), shardBytes: mix.output.shardBytes, dataSource: mixId }));
    }
    const next = requested.map(() => 0);
    const schedule = new InterleaveSchedule(requested);
    let written = 0;
    let bytes = 0;
    for (let component = schedule.next(); component !== -1; component = schedule.next()) {
      const picks = selection.picks[component]!;
      const at = next[component]!++;
      const source = picks.source[at]!;
      const length = picks.length[at]!;
      while (!canonical.add(source, picks.offset[at]!, length)) await canonical.flush(visit);
      if (contamination) pendingSources.push(source);
      tags.add(source, picks.kind[at]!, picks.trait[at]!, picks.domain[at]!);
      meter.push(component);
      written += 1;
      bytes += length + 1;
      if ((written & 0xffff) === 0) {
        if (signal?.aborted) throw new MixAbortedError(signal.reason);
        options.onProgress?.({ phase: 'write', done: written, total: mix.totalRecords, bytes });
      }
    }
    await canonical.flush(visit);
    if (signal?.aborted) throw new MixAbortedError(signal.reason);
    const outputs = [];
    const copied = await canonical.finish();
    for (const format of mix.output.formats) outputs.push(format === 'jsonl' ? copied : await writers.get(format)!.finish());
    const { counts, byTraitDomain } = tags.named();
    const coverage = coverageOf(mix, byTraitDomain);
    const manifest: MixManifest = {
      schemaVersion: 2,
      mixId,
      mixerVersion: MIXER_VERSION,
      spec: mix,
      sources: sources.map((s, i) => ({
        dataset: s.dataset,
        uri: s.uri,
        sourceId: s.registration.sourceId,
        sha256: s.registration.sha256,
        format: s.registration.format,
        records: s.registration.records,
        malformed: s.registration.malformed.count,
        quarantine: s.registration.quarantinePath,
        duplicatesRemoved: selection.duplicatesBySource[i]!,
      })),
      components: mix.components.map((c, i) => ({
        name: c.name,
        dataset: c.dataset,
        requested: requested[i]!,
        selected: selection.picks[i]!.size,
        eligible: selection.eligible[i]!,
        lostToEarlier: selection.lostToEarlier[i]!,
        upsampled: selection.upsampled[i]!,
        contaminatedExcluded: selection.contaminatedExcluded[i]!,
      })),
      records: written,
      dedup: { enabled: mix.dedup, removed: selection.duplicatesBySource.reduce((s, n) => s + n, 0) },
      outputs: outputs.map((o) => ({ format: o.format, dir: o.format, shards: [...o.shards] })),
      countsByTag: counts,
      coverage,
      contamination: contamination
        ? { ngram: mix.decontaminate!.ngram, overlappingRecords: overlapping, excluded: selection.contaminatedExcluded.reduce((s, n) => s + n, 0), examples: overlaps }
        : null,
      spread: { window: meter.window, maxDeviation: Number(meter.maxDeviation.toFixed(6)) },
      warnings: [...selection.warnings, ...coverage.warnings],
    };
    if (signal?.aborted) throw new MixAbortedError(signal.reason);
    options.onProgress?.({ phase: 'publish', done: written, total: mix.totalRecords, bytes });
    await writeFileAtomic(join(staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    await publishOutputs(staging, dir).catch(async (error: unknown) => {
      // Another build of the same mix won the race: its result is byte-identical, keep it.
      if (existsSync(join(dir, MANIFEST_FILE))) return;
      throw error;
    });
    return { manifest, dir, cacheHit: false };
  } catch (error) {
    await canonical.abort().catch(() => undefined);
    for (const writer of writers.values()) await writer.abort().catch(() => undefined);
    throw error;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** The record's id at its source's configured id path (dotted), or '?' when it has none there. */
export function recordIdOf(record: Buffer, idPath: string): string {
  try {
    let value: unknown = JSON.parse(record.toString('utf8'));
    for (const key of idPath.split('.')) {
      value = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
    }
    return typeof value === 'string' || typeof value === 'number' ? String(value) : '?';
  } catch {
    return '?';
  }
}

/** Decontamination by exclusion reads each eligible record once more in pass 1 (only when asked for). */
async function exclusionFor(sources: readonly MixSourceInput[], reader: RecordReader, index: ContaminationIndex) {
  const { openSourceIndex } = await import('./sources/index.js');
  const indexes = await Promise.all(sources.map((s) => openSourceIndex(s.registration)));
  return (source: number, record: number) => {
    const idx = indexes[source]!;
    return checkRecord(index, reader.read(source, idx.offset(record), idx.length(record))).length > 0;
  };
}
