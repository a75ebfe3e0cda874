import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { MixDocument, toFieldIssues } from '@ballast/schema';
import { apiIssues, describeApiError } from '../api-client.js';
import type { CliContext } from '../context.js';
import { CliExit, EXIT } from '../exit-codes.js';
import { formatIssues } from '../render.js';

function readMixFile(file: string): unknown {
  let raw: unknown;
  try {
    const text = readFileSync(file, 'utf8');
    raw = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new CliExit(EXIT.invalid, `${file}: ${(error as Error).message}`);
  }
  const parsed = MixDocument.safeParse(raw);
  if (!parsed.success) throw new CliExit(EXIT.invalid, `${file} is not a valid mix spec:\n${formatIssues(toFieldIssues(parsed.error.issues))}`);
  return raw;
}

function failure(error: unknown, ctx: CliContext, file?: string): CliExit {
  const issues = apiIssues(error);
  if (issues) return new CliExit(EXIT.invalid, `${file ?? 'input'} was rejected:\n${formatIssues(issues)}`);
  return new CliExit(EXIT.failed, describeApiError(error, ctx.apiUrl));
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** `ballast mix preview FILE`: counts, coverage, warnings and estimated size, without writing. */
export async function mixPreviewCommand(ctx: CliContext, file: string): Promise<void> {
  const spec = readMixFile(file);
  let preview;
  try {
    preview = await ctx.client.mixes.preview.mutate({ spec });
  } catch (error) {
    throw failure(error, ctx, file);
  }
  ctx.out(`mix ${preview.mixId}: ${preview.records} records, about ${mb(preview.estimatedBytes)} of canonical JSONL`);
  ctx.out('component             requested   eligible  lost-to-earlier  upsampled  short-by');
  for (const c of preview.components) {
    ctx.out(`${c.name.padEnd(20)} ${String(c.requested).padStart(10)} ${String(c.eligible).padStart(10)} ${String(c.lostToEarlier).padStart(16)} ${String(c.upsampled).padStart(10)} ${String(c.shortBy).padStart(9)}`);
  }
  ctx.out(`exact duplicates removed: ${preview.duplicatesRemoved}`);
  ctx.out('coverage (expected records, trait × domain):');
  for (const [trait, row] of Object.entries(preview.coverage.byTraitDomain).sort()) {
    ctx.out(`  ${trait.padEnd(20)} ${Object.entries(row).sort().map(([d, n]) => `${d} ${n}`).join(', ')}`);
  }
  for (const warning of preview.warnings) ctx.out(`warning: ${warning}`);
  if (preview.error) throw new CliExit(EXIT.invalid, `cannot build as specified: ${preview.error}`);
}

function progressBar(done: number, total: number, width = 30): string {
  const filled = total > 0 ? Math.round((Math.min(done, total) / total) * width) : 0;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/** `ballast mix build FILE`: builds (or attaches to the running build of) a mix, with a progress bar. */
export async function mixBuildCommand(ctx: CliContext, file: string): Promise<void> {
  const spec = readMixFile(file);
  let status;
  try {
    status = await ctx.client.mixes.build.mutate({ spec });
  } catch (error) {
    throw failure(error, ctx, file);
  }
  const alreadyBuilt = status.state === 'SUCCEEDED';
  ctx.out(`mix build ${status.buildId} (${status.name})`);
  const tty = process.stdout.isTTY === true;
  let lastLine = '';
  for (;;) {
    try {
      status = await ctx.client.mixes.status.query({ buildId: status.buildId });
    } catch (error) {
      throw failure(error, ctx);
    }
    const line = `${status.phase.padEnd(8)} ${progressBar(status.done, status.total)} ${status.done}/${status.total} records, ${mb(status.bytes)} written`;
    if (line !== lastLine) {
      if (tty) process.stdout.write(`\r\x1b[K${line}`);
      else ctx.out(line);
      lastLine = line;
    }
    if (status.state !== 'RUNNING') break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  if (tty) process.stdout.write('\n');
  if (status.state !== 'SUCCEEDED') throw new CliExit(EXIT.failed, `mix build ${status.state}: ${status.error ?? ''}`);
  ctx.out(`${alreadyBuilt || status.cacheHit ? 'already built (cache hit, nothing done)' : 'built'}: ${status.mixId}; 'ballast mix show ${status.mixId}' prints its manifest`);
}

/** `ballast mix show MIXID [--json]` */
export async function mixShowCommand(ctx: CliContext, mixId: string, json: boolean): Promise<void> {
  let shown;
  try {
    shown = await ctx.client.mixes.show.query({ mixId });
  } catch (error) {
    throw failure(error, ctx);
  }
  if (json) {
    ctx.out(JSON.stringify(shown.manifest, null, 2));
    return;
  }
  const m = shown.manifest as unknown as import('@ballast/schema').MixManifest;
  ctx.out(`mix ${m.mixId}: ${m.records} records (mixer v${m.mixerVersion}); manifest ${shown.manifestUri}`);
  for (const s of m.sources) ctx.out(`  source ${s.dataset}: ${s.records} records, sha256 ${s.sha256.slice(0, 16)}…, ${s.malformed} malformed, ${s.duplicatesRemoved} duplicates removed`);
  for (const c of m.components) ctx.out(`  component ${c.name}: ${c.selected}/${c.requested} selected of ${c.eligible} eligible (${c.lostToEarlier} lost to earlier components, ${c.upsampled} upsampled)`);
  for (const o of m.outputs) ctx.out(`  output ${o.format}: ${o.shards.length} shard(s), ${o.shards.reduce((s, x) => s + x.records, 0)} records`);
  ctx.out(`  even spread: max deviation ${m.spread.maxDeviation} records in any window of ${m.spread.window}`);
  for (const w of m.warnings) ctx.out(`  warning: ${w}`);
}
