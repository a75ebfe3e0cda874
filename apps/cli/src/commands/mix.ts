import { terminalLines, terminalText as t } from '@ballast/config';
import { MixDocument, toFieldIssues, type MixManifest } from '@ballast/schema';
import { apiFailure, apiIssues } from '../api-client.js';
import type { CliContext } from '../context.js';
import { readDocumentFile } from '../document-file.js';
import { CliExit, EXIT } from '../exit-codes.js';
import { formatIssues } from '../render.js';

function readMixFile(file: string): unknown {
  const raw = readDocumentFile(file);
  const parsed = MixDocument.safeParse(raw);
  if (!parsed.success) throw new CliExit(EXIT.invalid, `${t(file)} is not a valid mix spec:\n${formatIssues(toFieldIssues(parsed.error.issues))}`);
  return raw;
}

function failure(error: unknown, ctx: CliContext, file?: string): CliExit {
  const issues = apiIssues(error);
  if (issues) return new CliExit(EXIT.invalid, `${t(file ?? 'input')} was rejected:\n${formatIssues(issues)}`);
  // 3 unreachable, 2 refused input (a workflow's non-retryable input failure arrives as PRECONDITION_FAILED), else 1.
  return apiFailure(error, ctx.apiUrl);
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * How long the CLI waits for a preview: a little over the preview activity's own deadline (10 minutes,
 * retries included, in the mix workflows), so the server's answer, not this bound, normally ends it.
 */
const PREVIEW_WAIT_MS = 11 * 60 * 1000;
/** How long a Ctrl-C'd build is given to report CANCELLED before the CLI stops waiting. */
const CANCEL_WAIT_MS = 30 * 1000;

/**
 * Runs `body` with a signal that aborts on the first Ctrl-C (SIGINT) and when `deadlineMs` (if any)
 * passes, with the reason 'interrupted' or 'deadline'; a second Ctrl-C exits at once.
 */
async function interruptible<T>(deadlineMs: number | null, body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(EXIT.failed);
    controller.abort('interrupted');
  };
  const timer = deadlineMs === null ? undefined : setTimeout(() => controller.abort('deadline'), deadlineMs);
  process.on('SIGINT', onSigint);
  try {
    return await body(controller.signal);
  } finally {
    clearTimeout(timer);
    process.off('SIGINT', onSigint);
  }
}

/** `ballast mix preview FILE`: counts, coverage, warnings and estimated size, without writing. Ctrl-C cancels it. */
export async function mixPreviewCommand(ctx: CliContext, file: string): Promise<void> {
  const spec = readMixFile(file);
  const preview = await interruptible(PREVIEW_WAIT_MS, async (signal) => {
    try {
      // Aborting the request closes it; the API then cancels the preview workflow.
      return await ctx.client.mixes.preview.mutate({ spec }, { signal });
    } catch (error) {
      if (signal.reason === 'interrupted') throw new CliExit(EXIT.failed, 'mix preview cancelled (Ctrl-C)');
      if (signal.reason === 'deadline') throw new CliExit(EXIT.failed, `mix preview did not answer within ${PREVIEW_WAIT_MS / 60000} minutes; cancelled`);
      throw failure(error, ctx, file);
    }
  });
  ctx.out(`mix ${t(preview.mixId)}: ${preview.records} records, about ${mb(preview.estimatedBytes)} of canonical JSONL`);
  ctx.out('component             requested   eligible  lost-to-earlier  upsampled  short-by');
  for (const c of preview.components) {
    ctx.out(`${t(c.name).padEnd(20)} ${String(c.requested).padStart(10)} ${String(c.eligible).padStart(10)} ${String(c.lostToEarlier).padStart(16)} ${String(c.upsampled).padStart(10)} ${String(c.shortBy).padStart(9)}`);
  }
  ctx.out(`exact duplicates removed: ${preview.duplicatesRemoved}`);
  for (const s of preview.sources) {
    const quarantine = s.quarantine === null ? '' : `, quarantined lines in ${t(s.quarantine)}`;
    ctx.out(`source ${t(s.dataset)}: ${s.records} records, ${s.malformed} malformed line(s) quarantined${quarantine}`);
  }
  if (preview.recordsChecked > 0) ctx.out(`records checked against the output formats and trainer: ${preview.recordsChecked}`);
  ctx.out('coverage (expected records, trait × domain):');
  for (const [trait, row] of Object.entries(preview.coverage.byTraitDomain).sort()) {
    ctx.out(`  ${t(trait).padEnd(20)} ${Object.entries(row).sort().map(([d, n]) => `${t(d)} ${n}`).join(', ')}`);
  }
  for (const warning of preview.warnings) ctx.out(`warning: ${t(warning)}`);
  if (preview.error) throw new CliExit(EXIT.invalid, `cannot build as specified: ${t(preview.error)}`);
}

function progressBar(done: number, total: number, width = 30): string {
  const filled = total > 0 ? Math.round((Math.min(done, total) / total) * width) : 0;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** `ballast mix build FILE`: builds (or attaches to the running build of) a mix, with a progress bar. Ctrl-C cancels the build. */
export async function mixBuildCommand(ctx: CliContext, file: string): Promise<void> {
  const spec = readMixFile(file);
  let status;
  try {
    status = await ctx.client.mixes.build.mutate({ spec });
  } catch (error) {
    throw failure(error, ctx, file);
  }
  const alreadyBuilt = status.state === 'SUCCEEDED';
  ctx.out(`mix build ${t(status.buildId)} (${t(status.name)})`);
  const tty = process.stdout.isTTY === true;
  let lastLine = '';
  const buildId = status.buildId;
  // A build has no deadline of its own (a large mix takes hours); Ctrl-C is how a person stops it.
  status = await interruptible(null, async (signal) => {
    let current = status!;
    let cancelAsked = 0;
    for (;;) {
      if (signal.aborted && cancelAsked === 0) {
        cancelAsked = Date.now();
        if (tty) process.stdout.write('\n');
        ctx.out('cancelling the build (Ctrl-C again to stop waiting)…');
        try {
          await ctx.client.mixes.cancel.mutate({ buildId });
        } catch (error) {
          throw failure(error, ctx);
        }
      }
      try {
        current = await ctx.client.mixes.status.query({ buildId });
      } catch (error) {
        throw failure(error, ctx);
      }
      const line = `${t(current.phase).padEnd(8)} ${progressBar(current.done, current.total)} ${current.done}/${current.total} records, ${mb(current.bytes)} written`;
      if (line !== lastLine && cancelAsked === 0) {
        if (tty) process.stdout.write(`\r\x1b[K${line}`);
        else ctx.out(line);
        lastLine = line;
      }
      if (current.state !== 'RUNNING') return current;
      if (cancelAsked !== 0 && Date.now() - cancelAsked > CANCEL_WAIT_MS) {
        throw new CliExit(EXIT.failed, `mix build ${t(buildId)} did not report CANCELLED within ${CANCEL_WAIT_MS / 1000} s; 'ballast mix build' again attaches to it`);
      }
      await sleep(500);
    }
  });
  if (tty) process.stdout.write('\n');
  if (status.state !== 'SUCCEEDED') {
    // A build refused for its spec or sources exits 2 like any other input error; anything else 1.
    throw new CliExit(status.errorKind === 'input' ? EXIT.invalid : EXIT.failed, `mix build ${status.state}: ${terminalLines(status.error ?? '')}`);
  }
  ctx.out(`${alreadyBuilt || status.cacheHit ? 'already built (cache hit, nothing done)' : 'built'}: ${t(status.mixId ?? '')}; 'ballast mix show ${t(status.mixId ?? '')}' prints its manifest`);
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
    // JSON escapes every control character, so the manifest prints as is.
    ctx.out(JSON.stringify(shown.manifest, null, 2));
    return;
  }
  const m = shown.manifest as unknown as MixManifest;
  ctx.out(`mix ${t(m.mixId)}: ${m.records} records (mixer v${m.mixerVersion}); manifest ${t(shown.manifestUri)}`);
  for (const s of m.sources) {
    const quarantine = s.quarantine === null ? '' : `, quarantine ${t(s.quarantine)}`;
    ctx.out(`  source ${t(s.dataset)}: ${s.records} records, sha256 ${t(s.sha256.slice(0, 16))}…, ${s.malformed} malformed${quarantine}, ${s.duplicatesRemoved} duplicates removed`);
  }
  for (const c of m.components) ctx.out(`  component ${t(c.name)}: ${c.selected}/${c.requested} selected of ${c.eligible} eligible (${c.lostToEarlier} lost to earlier components, ${c.upsampled} upsampled)`);
  for (const o of m.outputs) ctx.out(`  output ${t(o.format)}: ${o.shards.length} shard(s), ${o.shards.reduce((s, x) => s + x.records, 0)} records`);
  ctx.out(`  even spread: max deviation ${m.spread.maxDeviation} records in any window of ${m.spread.window}`);
  for (const w of m.warnings) ctx.out(`  warning: ${t(w)}`);
}
