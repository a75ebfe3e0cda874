import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  FrameworkVersionError,
  openRlhfResumeArgs,
  TRL_TRAINER_STATE_FILE,
  trlResumeArgs,
  verlResumeArgs,
  type NativeCheckpoint,
  type NativeReference,
} from '@ballast/frameworks';
import { ContractInputError } from '@ballast/job-contract';
import type { FrameworkTrainJobSpec, LaunchFramework } from '@ballast/schema';
import { openRlhfToHuggingFace, trlToHuggingFace, verlToHuggingFace, type ConversionContext, type ConversionState } from './hugging-face.js';
import { parseTrlLogLine, type FrameworkLogLine } from './metrics.js';
import type { MetricsFileSource } from './metrics-file.js';
import { parseOpenRlhfLogLine } from './openrlhf-metrics.js';
import { parseVerlMetricsLine, verlMetricsFilePath } from './verl-metrics.js';

/** What the runner needs to know about one framework beyond its launch. */
export interface FrameworkAdapter {
  /** Arguments appended to the launch's argv to resume through the framework's own resume. */
  resumeArgs(reference: NativeReference, spec: FrameworkTrainJobSpec, specPath: string): string[];
  /** Reads one line of the framework's stdout; null for anything that is not a metrics line. */
  parseLogLine(line: string): FrameworkLogLine | null;
  /** The file the launch has the framework append its per-step metrics to; null where they come on stdout. */
  metricsFile(spec: FrameworkTrainJobSpec): MetricsFileSource | null;
  /** Makes a complete native checkpoint a Hugging Face model directory (or one inside it) before it is committed. */
  toHuggingFace(checkpoint: NativeCheckpoint, ctx: ConversionContext): Promise<ConversionState>;
  /** The training steps the framework itself logged up to a checkpoint (to check the runner's count); null when unknown. */
  loggedSteps(checkpoint: NativeCheckpoint): Promise<number[] | null>;
}

const trl: FrameworkAdapter = {
  resumeArgs: (reference) => trlResumeArgs(reference.nativePath),
  parseLogLine: parseTrlLogLine,
  metricsFile: () => null,
  toHuggingFace: trlToHuggingFace,
  loggedSteps: trlLoggedSteps,
};

// verl's console logger prints to stdout too, but its file logger's JSON lines are the exact values.
const verl: FrameworkAdapter = {
  resumeArgs: (reference) => verlResumeArgs(reference.nativePath),
  parseLogLine: () => null,
  metricsFile: (spec) => {
    const path = verlMetricsFilePath(spec);
    return path === null ? null : { path, parseLine: parseVerlMetricsLine };
  },
  toHuggingFace: verlToHuggingFace,
  loggedSteps: async () => null,
};

const openrlhf: FrameworkAdapter = {
  // OpenRLHF resumes from the checkpoint its DeepSpeed `latest` file names: after the runner's sweep,
  // that is the latest committed one.
  resumeArgs: (_reference, spec, specPath) => {
    const field = [{ path: 'version', message: "is required to resume OpenRLHF: its resume flag differs between releases" }];
    if (spec.version === undefined) throw ContractInputError.badFile(specPath, field);
    try {
      return openRlhfResumeArgs(spec.version);
    } catch (err) {
      if (err instanceof FrameworkVersionError) throw ContractInputError.badFile(specPath, [{ path: 'version', message: err.message }]);
      throw err;
    }
  },
  // Its only other per-step outputs are wandb and TensorBoard event files (--logger.tensorboard_dir).
  parseLogLine: parseOpenRlhfLogLine,
  metricsFile: () => null,
  toHuggingFace: openRlhfToHuggingFace,
  loggedSteps: async () => null,
};

export const FRAMEWORK_ADAPTERS: Readonly<Record<LaunchFramework, FrameworkAdapter>> = { trl, verl, openrlhf };

/** The steps of the training log entries (those with a loss) in a TRL checkpoint's trainer_state.json. */
async function trlLoggedSteps(checkpoint: NativeCheckpoint): Promise<number[] | null> {
  try {
    const state = JSON.parse(await readFile(join(checkpoint.nativePath, TRL_TRAINER_STATE_FILE), 'utf8')) as { log_history?: unknown };
    if (!Array.isArray(state.log_history)) return null;
    return state.log_history
      .filter((e): e is { step: number; loss: unknown } => typeof e === 'object' && e !== null && 'loss' in e && typeof (e as { step?: unknown }).step === 'number')
      .map((e) => e.step);
  } catch {
    return null;
  }
}
