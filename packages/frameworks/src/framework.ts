import { z } from 'zod';
import { LAUNCH_FRAMEWORKS, LaunchDatasetFormat, LaunchFramework } from '@ballast/schema';

/** The training frameworks Ballast renders launches for. */
export const FRAMEWORKS = LAUNCH_FRAMEWORKS;
export const Framework = LaunchFramework;
export type Framework = z.infer<typeof Framework>;

/** Shard formats the mixing package exports (`mix.output.formats`); each framework reads exactly one, named after it. */
export const DATASET_FORMATS = LAUNCH_FRAMEWORKS;
export const DatasetFormat = LaunchDatasetFormat;
export type DatasetFormat = z.infer<typeof DatasetFormat>;

export const DATASET_FORMAT_OF: Readonly<Record<Framework, DatasetFormat>> = {
  verl: 'verl',
  openrlhf: 'openrlhf',
  trl: 'trl',
};

/** The file extension each shard format's paths must end with. */
export const SHARD_EXTENSION_OF: Readonly<Record<DatasetFormat, string>> = {
  verl: '.parquet',
  openrlhf: '.jsonl',
  trl: '.jsonl',
};
