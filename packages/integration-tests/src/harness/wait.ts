import type { ExperimentView } from '@ballast/schema';
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
