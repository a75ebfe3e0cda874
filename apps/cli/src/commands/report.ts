import { renderReportSummary } from '@ballast/reporting';
import { describeApiError } from '../api-client.js';
import type { CliContext } from '../context.js';
import { CliExit, EXIT } from '../exit-codes.js';

/** `ballast report ID [--markdown|--json]` */
export async function printReport(ctx: CliContext, id: string, format: 'summary' | 'markdown' | 'json'): Promise<void> {
  let view;
  try {
    view = await ctx.client.reports.get.query({ id });
  } catch (error) {
    throw new CliExit(EXIT.failed, describeApiError(error, ctx.apiUrl));
  }
  if (format === 'json') ctx.out(JSON.stringify(view.report, null, 2));
  else if (format === 'markdown') ctx.out(view.markdown);
  else {
    ctx.out(renderReportSummary(view.report));
    ctx.out(`\nreport files:\n  ${view.artifacts.json}\n  ${view.artifacts.markdown}`);
  }
}
