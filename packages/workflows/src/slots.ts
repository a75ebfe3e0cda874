/** At most this many checkpoint evaluations run at once per arm (and per run's persistence work). */
export const MAX_EVALUATIONS_IN_FLIGHT = 4;

/**
 * A counting semaphore for workflow code: at most `size` holders, the rest served in arrival order.
 * `condition(() => inFlight < size)` is not one: every waiter whose condition holds is unblocked in the
 * same activation, before any of them counts itself in, so a burst of waiters overshoots the bound.
 * Here a released slot passes straight to the next waiter. Deterministic: plain promises, no commands.
 */
export class Slots {
  private held = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async acquire(): Promise<void> {
    if (this.held < this.size) {
      this.held += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.held -= 1;
  }
}
