import { latestCommittedCheckpoint } from '@ballast/job-contract';

/**
 * The checkpoint directory a contract program resumes from: the latest committed one for `auto` (null
 * when nothing is committed yet: a first attempt, or one preempted before its first save), the one
 * named (a path or a `file://` URI), or none for `null`. Shared by the reference trainer and attack.
 */
export async function resumeDirectory(resumeFrom: 'auto' | string | null, outputDir: string): Promise<string | null> {
  if (resumeFrom === null) return null;
  if (resumeFrom === 'auto') return (await latestCommittedCheckpoint(outputDir))?.path ?? null;
  return resumeFrom.startsWith('file://') ? new URL(resumeFrom).pathname : resumeFrom;
}
