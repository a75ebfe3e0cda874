/**
 * How long to wait between two polls of a job: the configured interval right after anything changed
 * (a new state, contact lost or regained), growing by half each quiet poll up to 8× that interval, so a
 * week-long training job does not ask its scheduler every second.
 */
export class PollBackoff {
  private current: number;
  private readonly max: number;

  constructor(private readonly base: number) {
    this.current = base;
    this.max = base * 8;
  }

  /** The wait before the next poll; each call without a reset lengthens the following one. */
  next(): number {
    const wait = this.current;
    this.current = Math.min(this.max, Math.round(this.current * 1.5));
    return wait;
  }

  reset(): void {
    this.current = this.base;
  }
}
