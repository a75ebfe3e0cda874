/**
 * Trainer output formats for a mix: canonical JSONL, verl parquet, OpenRLHF and TRL JSONL, written
 * as size-capped shards with a sha256 each, into a staging directory that becomes visible in one
 * rename. Column mappings are documented in trainer-rows.ts.
 *
 * @example
 * import { createOutputWriter, publishOutputs } from './outputs/index.js';
 * const writer = createOutputWriter({ format: 'verl', stagingDir: `${dir}.staging`, shardBytes: 256 << 20, dataSource: mixId });
 * try {
 *   for (const bytes of recordsInMixOrder) await writer.write(bytes);
 *   const result = await writer.finish(); // result.shards -> manifest
 *   await publishOutputs(`${dir}.staging`, dir);
 * } catch (err) {
 *   await writer.abort();
 *   throw err;
 * }
 */
export { createOutputWriter } from './create-output-writer.js';
export { publishOutputs } from './publish.js';
export { OutputFormat } from './types.js';
export type { CreateOutputWriterOptions, MixOutputWriter, OutputSetResult, ShardInfo } from './types.js';
export { shardFileName, ShardSet, type ShardFile } from './shard-files.js';
export { inlineHash, type ShardHash } from './shard-hash.js';
export { VERL_SCHEMA } from './verl-writer.js';
export { OutputError, OutputErrorCode, OutputExistsError, OutputRecordError, OutputWriterMisuseError } from './errors.js';
