import { listDatasetSources } from '@ballast/db';
import { publicProcedure } from '../trpc.js';

export const datasetsRouter = {
  list: publicProcedure.query(async ({ ctx }) => {
    const rows = await listDatasetSources(ctx.db);
    return rows.map((d) => ({
      id: d.id,
      uri: d.uri,
      format: d.format,
      sha256: d.sha256,
      records: d.records,
      bytes: d.bytes,
      registeredAt: d.registeredAt.toISOString(),
    }));
  }),
};
