import type { ExperimentView, JobView } from '@ballast/schema';
import type { TestStack } from './stack.js';

const FINISHED = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/** Polls the API until the experiment finishes (or `predicate` holds); fails after `timeoutMs`. */
export async function waitForExperiment(
  stack: Pick<TestStack, 'api'>,
  id: string,
  options: { timeoutMs?: number; predicate?: (view: ExperimentView) => boolean } = {},
): Promise<ExperimentView> {
  const deadline = Date.now() + (options.timeoutMs ?? 180_000);
  const done = options.predicate ?? ((v: ExperimentView) => FINISHED.has(v.phase));
  for (;;) {
    const view = await stack.api.experiments.get.query({ id });
    if (done(view)) return view;
    if (FINISHED.has(view.phase)) throw new Error(`experiment ${id} ended ${view.phase} before the awaited condition: ${view.error ?? ''}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${id}; last seen ${JSON.stringify(view)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export interface PollOptions {
  readonly timeoutMs: number;
  /** Between probes; short where the point is to land inside a brief window. */
  readonly intervalMs?: number;
  /** Treat a probe that throws (an API restarting) as "not yet". */
  readonly ignoreErrors?: boolean;
  /** What to show when it times out. */
  readonly lastSeen?: () => Promise<unknown>;
}

/** Polls `probe` until it returns something truthy; fails after `timeoutMs`, saying what it waited for. */
export async function pollUntil<T>(what: string, probe: () => Promise<T | undefined | null | false>, options: PollOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = options.ignoreErrors ? await probe().catch(() => null) : await probe();
    if (value) return value;
    if (Date.now() > deadline) {
      const seen = options.lastSeen ? `; last seen ${JSON.stringify(await options.lastSeen())}` : '';
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${what}${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 200));
  }
}

/** An experiment's training job (the one per arm, for one-arm experiments), once it exists. */
export async function trainingJob(stack: Pick<TestStack, 'api'>, experimentId: string): Promise<JobView | undefined> {
  return (await stack.api.jobs.list.query({ id: experimentId })).find((j) => j.kind === 'train');
}
