import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { checkpointsDir, listCommittedCheckpoints } from '@ballast/job-contract';
import { commitNativeCheckpoint, listCompleteNativeCheckpoints, type CommittedNativeCheckpoint, type NativeCheckpoint } from '@ballast/frameworks';
import type { FrameworkTrainJobSpec } from '@ballast/schema';
import type { FrameworkAdapter } from './adapters.js';

export interface CommitterOptions {
  readonly spec: FrameworkTrainJobSpec;
  readonly adapter: FrameworkAdapter;
  readonly outputDir: string;
  readonly log: (line: string) => void;
  /** Called once per checkpoint this runner commits (not for ones an earlier attempt committed). */
  readonly onCommitted?: (checkpoint: NativeCheckpoint, committed: CommittedNativeCheckpoint) => Promise<void>;
  /** The environment conversions run in. */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Commits the framework's complete native checkpoints as contract checkpoints, oldest first, each
 * once: steps already committed (by this attempt or an earlier one) are skipped without touching them.
 * A checkpoint that cannot be converted to a Hugging Face directory yet holds back the later ones, so
 * commits stay in step order.
 */
export class CheckpointCommitter {
  private readonly committed = new Set<number>();
  private loaded = false;

  constructor(private readonly options: CommitterOptions) {}

  /** Commits what is complete and not yet committed; returns the checkpoints this call committed. */
  async sweep(frameworkRunning: boolean): Promise<CommittedNativeCheckpoint[]> {
    const { spec, adapter, outputDir, log } = this.options;
    if (!this.loaded) {
      for (const c of await listCommittedCheckpoints(outputDir)) this.committed.add(c.step);
      this.loaded = true;
    }
    // Once the framework has exited, its last checkpoint's trailing writes (OpenRLHF's HF copy) are done.
    const natives = await listCompleteNativeCheckpoints(spec.framework, spec.nativeOutputDir, { runEnded: !frameworkRunning });
    const out: CommittedNativeCheckpoint[] = [];
    for (const [i, checkpoint] of natives.entries()) {
      if (this.committed.has(checkpoint.step)) continue;
      const ctx = { spec, frameworkRunning, laterComplete: i < natives.length - 1, log, ...(this.options.env ? { env: this.options.env } : {}) };
      if ((await adapter.toHuggingFace(checkpoint, ctx)) === 'wait') break;
      const result = await commitNativeCheckpoint(spec.framework, checkpoint, outputDir);
      this.committed.add(checkpoint.step);
      log(
        result.created
          ? `committed checkpoint step ${result.step} (${result.marker.contentHash}) from ${checkpoint.nativePath}`
          : `checkpoint step ${result.step} was already committed`,
      );
      if (result.created) {
        out.push(result);
        await this.options.onCommitted?.(checkpoint, result);
      }
    }
    return out;
  }

  /** The highest committed step, or null before any. */
  lastStep(): number | null {
    return this.committed.size === 0 ? null : Math.max(...this.committed);
  }

  count(): number {
    return this.committed.size;
  }
}

/**
 * Removes the temporary directories of commits a killed runner left half done (`checkpoints/.tmp-*`).
 * Only safe once no earlier runner can still be committing.
 */
export async function removeCommitDebris(outputDir: string, log: (line: string) => void): Promise<void> {
  const root = checkpointsDir(outputDir);
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return;
  }
  for (const name of names.filter((n) => n.startsWith('.tmp-'))) {
    await rm(join(root, name), { recursive: true, force: true });
    log(`removed ${name}, left by a commit that did not finish`);
  }
}
