import { LineShardWriter } from './line-writer.js';
import { openRlhfLine, toTrainerRecord, trlLine } from './trainer-rows.js';
import type { CreateOutputWriterOptions, MixOutputWriter } from './types.js';
import { VerlParquetWriter } from './verl-writer.js';

/** One writer per format and output set; see trainer-rows.ts for each format's columns. */
export function createOutputWriter(o: CreateOutputWriterOptions): MixOutputWriter {
  if (!(Number.isSafeInteger(o.shardBytes) && o.shardBytes > 0)) {
    throw new RangeError(`shardBytes must be a positive integer, got ${o.shardBytes}`);
  }
  switch (o.format) {
    case 'jsonl':
      return new LineShardWriter('jsonl', o.stagingDir, o.shardBytes);
    case 'openrlhf':
      return new LineShardWriter('openrlhf', o.stagingDir, o.shardBytes, (bytes) =>
        Buffer.from(openRlhfLine(toTrainerRecord('openrlhf', bytes), o.dataSource)),
      );
    case 'trl':
      return new LineShardWriter('trl', o.stagingDir, o.shardBytes, (bytes) =>
        Buffer.from(trlLine(toTrainerRecord('trl', bytes), o.dataSource)),
      );
    case 'verl':
      return new VerlParquetWriter(o.stagingDir, o.shardBytes, o.dataSource);
    default: {
      const unknown: never = o.format;
      throw new RangeError(`unknown output format '${String(unknown)}'`);
    }
  }
}
