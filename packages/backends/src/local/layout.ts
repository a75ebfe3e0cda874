import { createHash } from 'node:crypto';
import { join } from 'node:path';

/**
 * A file-name-safe, collision-free id for an idempotency key: readable prefix plus a hash of the exact
 * key, so `a/b` and `a_b` never share a claim. It is also the local backend's job id.
 */
export function localJobId(idempotencyKey: string): string {
  const readable = idempotencyKey.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_').slice(0, 80);
  const hash = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 16);
  return `${readable}-${hash}`;
}

/** Where the local backend keeps everything below its state directory. */
export class LocalLayout {
  constructor(readonly stateDir: string) {}

  get claimsDir(): string {
    return join(this.stateDir, 'claims');
  }
  /** Claims taken over from a launch that never started are moved here, never deleted, for forensics. */
  get staleClaimsDir(): string {
    return join(this.stateDir, 'claims-stale');
  }
  claim(jobId: string): string {
    return join(this.claimsDir, `${jobId}.json`);
  }
  jobDir(jobId: string): string {
    return join(this.stateDir, 'jobs', jobId);
  }
  outputLog(jobId: string): string {
    return join(this.jobDir(jobId), 'output.log');
  }
  runnerRecord(jobId: string): string {
    return join(this.jobDir(jobId), 'runner.json');
  }
  exitRecord(jobId: string): string {
    return join(this.jobDir(jobId), 'exit.json');
  }
  cancelMarker(jobId: string): string {
    return join(this.jobDir(jobId), 'cancel.json');
  }
  /** What to run, written by the submitter, read by the runner. One per launch attempt. */
  launchSpec(jobId: string, launchId: string): string {
    return join(this.jobDir(jobId), `launch-${launchId}.json`);
  }
  /**
   * Created exclusively by whoever decides a launch's fate first: its runner ("started") or a submitter
   * taking over a stale claim ("abandoned"). This is what makes takeover safe against a slow runner.
   */
  launchDecision(jobId: string, launchId: string): string {
    return join(this.jobDir(jobId), `launch-${launchId}.decision.json`);
  }
}
