import { terminalLines, terminalText as t } from '@ballast/config';
import { renderReportSummary } from '@ballast/reporting';
import { apiFailure } from '../api-client.js';
import type { CliContext } from '../context.js';

/** `ballast report ID [--markdown|--json]` */
export async function printReport(ctx: CliContext, id: string, format: 'summary' | 'markdown' | 'json'): Promise<void> {
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
  else {
    ctx.out(renderReportSummary(view.report));
    ctx.out(`\nreport files:\n  ${t(view.artifacts.json)}\n  ${t(view.artifacts.markdown)}`);
  }
}
