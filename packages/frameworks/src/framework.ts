import { z } from 'zod';
import { oneOf } from '@ballast/schema';

/** The training frameworks Ballast renders launches for. */
export const FRAMEWORKS = ['verl', 'openrlhf', 'trl'] as const;
export const Framework = oneOf(FRAMEWORKS);
export type Framework = z.infer<typeof Framework>;

/** Shard formats the mixing package exports; each framework reads exactly one. */
export const DATASET_FORMATS = ['verl-parquet', 'openrlhf-jsonl', 'trl-jsonl'] as const;
export const DatasetFormat = oneOf(DATASET_FORMATS);
export type DatasetFormat = z.infer<typeof DatasetFormat>;

export const DATASET_FORMAT_OF: Readonly<Record<Framework, DatasetFormat>> = {
  verl: 'verl-parquet',
  openrlhf: 'openrlhf-jsonl',
  trl: 'trl-jsonl',
};

/** The file extension each shard format's paths must end with. */
export const SHARD_EXTENSION_OF: Readonly<Record<DatasetFormat, string>> = {
  'verl-parquet': '.parquet',
  'openrlhf-jsonl': '.jsonl',
  'trl-jsonl': '.jsonl',
};
