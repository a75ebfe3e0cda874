import { dirname, resolve } from 'node:path';
import { BenchmarkEntryError, validateBenchmarkEntry } from '@ballast/benchmarks';
import { terminalText as t } from '@ballast/config';
import { resolveEntryFilePaths } from '@ballast/harnesses';
import { HARNESS_KINDS, benchmarkRef, type BenchmarkInfo, type HarnessKind } from '@ballast/schema';
import { apiFailure, apiIssues } from '../api-client.js';
import type { CliContext } from '../context.js';
import { readDocumentFile } from '../document-file.js';
import { CliExit, EXIT } from '../exit-codes.js';
import { formatIssues } from '../render.js';

const USAGE = 'usage: ballast benchmarks [list [--harness reference|inspect|lm-eval] [--json] | show REF [--json] | add FILE [--user NAME]]';

export interface BenchmarksFlags {
  readonly harness?: string | undefined;
  readonly json: boolean;
  readonly user?: string | undefined;
}

/** `ballast benchmarks list|show|add`; a bare `ballast benchmarks` lists. */
export async function benchmarksCommand(ctx: CliContext, args: readonly string[], flags: BenchmarksFlags): Promise<void> {
  const [verb = 'list', target, ...rest] = args;
  if (rest.length > 0) throw new CliExit(EXIT.invalid, USAGE);
  if (verb === 'list' && target === undefined) return await listBenchmarks(ctx, harnessFlag(flags.harness), flags.json);
  if (verb === 'show' && target !== undefined) return await showBenchmark(ctx, target, flags.json);
  if (verb === 'add' && target !== undefined) return await addBenchmark(ctx, target, flags.user);
  throw new CliExit(EXIT.invalid, USAGE);
}

function harnessFlag(value: string | undefined): HarnessKind | undefined {
  if (value === undefined) return undefined;
  if ((HARNESS_KINDS as readonly string[]).includes(value)) return value as HarnessKind;
  throw new CliExit(EXIT.invalid, `--harness: must be one of ${HARNESS_KINDS.join(', ')} (got '${t(value)}')`);
}

// JSON.stringify escapes C0 controls but leaves C1 controls, bidi marks and line separators raw; as
// \u escapes they are still the same JSON, and no longer reach the terminal.
const RAW_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
function terminalJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(RAW_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function listLine(b: BenchmarkInfo): string {
  const direction = b.direction === 'higher_is_better' ? 'higher' : 'lower ';
  const items = b.itemCount === null ? 'n=?' : `n=${b.itemCount}`;
  return `${t(benchmarkRef(b)).padEnd(44)} ${b.harness.kind.padEnd(9)} ${b.category.padEnd(26)} ${t(b.metric).padEnd(22)} ${direction} ${items}${b.outOfDomain ? '  out-of-domain' : ''}${b.simulated ? '  SIMULATED' : ''}`;
}

async function listBenchmarks(ctx: CliContext, harness: HarnessKind | undefined, json: boolean): Promise<void> {
  let list: BenchmarkInfo[];
  try {
    list = await ctx.client.benchmarks.list.query(harness === undefined ? undefined : { harness });
  } catch (error) {
    throw apiFailure(error, ctx.apiUrl);
  }
  if (json) return ctx.out(terminalJson(list));
  if (list.length === 0) ctx.out(harness === undefined ? 'no benchmarks registered' : `no ${harness} benchmarks registered ('ballast benchmarks add FILE' adds one)`);
  for (const b of list) ctx.out(listLine(b));
}

function harnessLines(h: BenchmarkInfo['harness']): string[] {
  if (h.kind === 'reference') return ['  harness: reference (SIMULATED twin, scored against the reference policy)'];
  if (h.kind === 'inspect') return [`  harness: inspect  task ${t(h.task)}${h.scorer ? `  scorer ${t(h.scorer)}` : ''}`];
  return [`  harness: lm-eval  task ${t(h.task)}  metric ${t(h.metricKey)},${t(h.filter)}`, ...(h.includePath ? [`  task directory: ${t(h.includePath)}`] : [])];
}

async function showBenchmark(ctx: CliContext, ref: string, json: boolean): Promise<void> {
  let record;
  try {
    record = await ctx.client.benchmarks.get.query({ ref });
  } catch (error) {
    const issues = apiIssues(error);
    if (issues) throw new CliExit(EXIT.invalid, formatIssues(issues));
    throw apiFailure(error, ctx.apiUrl);
  }
  if (json) return ctx.out(terminalJson(record));
  const b = record.entry;
  const lines = [
    `${t(record.ref)}  ${b.category}  ${t(b.metric)} (${b.direction === 'higher_is_better' ? 'higher' : 'lower'} is better)${b.simulated ? '  SIMULATED' : ''}`,
    ...harnessLines(b.harness),
    `  items: ${b.itemCount === null ? 'unknown until it runs' : b.itemCount}${b.outOfDomain ? '  (out of domain)' : ''}`,
    `  traits: ${b.traits.length > 0 ? b.traits.map(t).join(', ') : '-'}  domains: ${b.domains.length > 0 ? b.domains.map(t).join(', ') : '-'}`,
    `  ${t(b.description)}`,
    record.builtin ? '  built in' : `  added by ${t(record.createdBy ?? '?')} at ${t(record.createdAt ?? '?')}`,
    `  entry hash ${t(record.entryHash)}`,
  ];
  ctx.out(lines.join('\n'));
}

/**
 * Reads a benchmark entry file (YAML or JSON) and turns its relative task file and task directory into
 * `file:///` URIs against the file's own directory, so an entry can sit beside its tasks. The server
 * checks them again against its allowed roots.
 */
export function readBenchmarkEntryFile(file: string): unknown {
  const raw = readDocumentFile(file);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new CliExit(EXIT.invalid, `${t(file)}: a benchmark entry is a YAML or JSON mapping (id, version, category, metric, direction, harness, …; see docs/evaluation.md)`);
  }
  return resolveEntryFilePaths(raw as Record<string, unknown>, dirname(resolve(file)));
}

async function addBenchmark(ctx: CliContext, file: string, user: string | undefined): Promise<void> {
  const entry = readBenchmarkEntryFile(file);
  try {
    validateBenchmarkEntry(entry);
  } catch (error) {
    if (error instanceof BenchmarkEntryError) throw new CliExit(EXIT.invalid, `${t(file)} is not a valid benchmark entry:\n${formatIssues(error.issues)}`);
    throw error;
  }
  let added;
  try {
    added = await ctx.client.benchmarks.add.mutate({ entry, ...(user ? { addedBy: user } : {}) });
  } catch (error) {
    const issues = apiIssues(error);
    // Paths as in the file: the API nests the entry under `entry`.
    if (issues) throw new CliExit(EXIT.invalid, `${t(file)} was rejected:\n${formatIssues(issues.map((i) => ({ ...i, path: i.path.replace(/^entry\./, '') })))}`);
    throw apiFailure(error, ctx.apiUrl);
  }
  ctx.out(added.created ? `added ${t(added.ref)} (${t(added.entryHash)})` : `${t(added.ref)} is already registered with this content; nothing changed`);
}
