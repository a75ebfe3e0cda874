import { lstat, rename, rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { terminalLines, terminalText as t } from '@ballast/config';
import { renderReportHtml, renderReportSummary } from '@ballast/reporting';
import { apiFailure } from '../api-client.js';
import type { CliContext } from '../context.js';
import { CliExit, EXIT } from '../exit-codes.js';

export type ReportFormat = 'summary' | 'markdown' | 'json' | 'html';

/** `ballast report ID [--markdown|--json|--html [--out FILE]]` */
export async function printReport(ctx: CliContext, id: string, format: ReportFormat, options: { out?: string | undefined } = {}): Promise<void> {
  if (options.out !== undefined && format !== 'html') throw new CliExit(EXIT.invalid, '--out goes with --html');
  let view;
  try {
    view = await ctx.client.reports.get.query({ id });
  } catch (error) {
    throw apiFailure(error, ctx.apiUrl);
  }
  // JSON escapes control characters itself; the Markdown is escaped field by field when it is rendered,
  // and line by line here in case it was rendered by an older build.
  if (format === 'json') ctx.out(JSON.stringify(view.report, null, 2));
  else if (format === 'markdown') ctx.out(terminalLines(view.markdown));
  else if (format === 'html') {
    // The default name is built from the id with anything but [A-Za-z0-9_-] replaced: it never leaves the working directory.
    const file = resolve(options.out ?? `report-${view.experimentId.replace(/[^A-Za-z0-9_-]/g, '_')}.html`);
    await writeRegularFile(file, renderReportHtml(view.report));
    ctx.out(`wrote the HTML report: ${t(file)}`);
  } else {
    ctx.out(renderReportSummary(view.report));
    ctx.out(`\nreport files:\n  ${t(view.artifacts.json)}\n  ${t(view.artifacts.markdown)}\n  ${t(view.artifacts.html)}`);
  }
}

/** Writes through a temporary file and a rename; refuses to replace anything but a regular file (a device, a FIFO, a link). */
async function writeRegularFile(file: string, text: string): Promise<void> {
  const existing = await lstat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (existing !== null && !existing.isFile()) throw new CliExit(EXIT.invalid, `--out: ${t(file)} exists and is not a regular file`);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, text, { flag: 'wx', mode: 0o644 });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw new CliExit(EXIT.invalid, `--out: cannot write ${t(file)}: ${t((error as NodeJS.ErrnoException).code ?? String(error))}`);
  }
}
