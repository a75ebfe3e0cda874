/**
 * `npm run test:load`: many small experiments at once on the embedded stack while clients send
 * maximum-size request bodies to the API. Passes when every experiment SUCCEEDED, no activity attempt
 * in any Temporal history timed out, and every body got an answer below 500. Prints its figures either way.
 *
 * @example
 * node packages/integration-tests/dist/load/main.js --experiments 50 --clients 4 --body-seconds 60
 */
import { parseArgs } from 'node:util';
import type { ExperimentView } from '@ballast/schema';
import { smallSpec } from '../harness/specs.js';
import { startTestStack, type TestStack } from '../harness/stack.js';
import { sendMaxSizeBodies } from './body-clients.js';
import { scanHistories } from './histories.js';

const { values } = parseArgs({
  options: {
    experiments: { type: 'string', default: '50' },
    clients: { type: 'string', default: '4' },
    'body-seconds': { type: 'string', default: '60' },
    'timeout-minutes': { type: 'string', default: '25' },
  },
});
const EXPERIMENTS = Number(values.experiments);
const CLIENTS = Number(values.clients);
const BODY_MS = Number(values['body-seconds']) * 1000;
const DEADLINE_MS = Number(values['timeout-minutes']) * 60_000;
const FINISHED = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

const log = (line: string) => process.stdout.write(`${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Tiny two-arm experiments: few steps, two checkpoints per arm, two benchmarks. */
function loadSpec(index: number) {
  return smallSpec({
    name: `load-${String(index).padStart(2, '0')}`,
    steps: 20,
    saveEvery: 10,
    simulatedStepMs: 10,
    benchmarks: ['sycophancy-pushback-medical@1', 'honesty-misconception-science@1'],
  });
}

/** Polls until every experiment is finished or the deadline passes; returns the last view of each. */
async function waitForAll(stack: TestStack, ids: string[], deadline: number): Promise<Map<string, ExperimentView>> {
  const views = new Map<string, ExperimentView>();
  let lastReport = Date.now();
  for (;;) {
    for (const id of ids) {
      if (FINISHED.has(views.get(id)?.phase ?? '')) continue;
      views.set(id, await stack.api.experiments.get.query({ id }));
    }
    const open = ids.filter((id) => !FINISHED.has(views.get(id)!.phase));
    if (open.length === 0 || Date.now() > deadline) return views;
    if (Date.now() - lastReport > 30_000) {
      const phases = open.map((id) => views.get(id)!.phase).reduce<Record<string, number>>((acc, p) => ({ ...acc, [p]: (acc[p] ?? 0) + 1 }), {});
      log(`  … ${ids.length - open.length}/${ids.length} finished; open: ${JSON.stringify(phases)}`);
      lastReport = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

async function main(): Promise<number> {
  const started = Date.now();
  const stack = await startTestStack('load');
  const failures: string[] = [];
  try {
    log(`load test: ${EXPERIMENTS} experiments, ${CLIENTS} clients sending ${stack.config.api.maxBodyBytes}-byte bodies for ${seconds(BODY_MS)} (home ${stack.home})`);
    const bodies = sendMaxSizeBodies({
      apiUrl: stack.server.apiUrl!,
      clients: CLIENTS,
      durationMs: BODY_MS,
      bodyBytes: stack.config.api.maxBodyBytes,
      maxRequestsPerClient: 5_000,
      requestTimeoutMs: 30_000,
    });
    const launchStarted = Date.now();
    const launched = await Promise.allSettled(
      Array.from({ length: EXPERIMENTS }, (_, i) => stack.api.experiments.launch.mutate({ clientRequestId: `load-test-${i}`, spec: loadSpec(i) })),
    );
    const ids = launched.flatMap((r) => (r.status === 'fulfilled' ? [r.value.experiment.id] : []));
    for (const r of launched) if (r.status === 'rejected') failures.push(`launch failed: ${String((r.reason as Error).message ?? r.reason).slice(0, 300)}`);
    log(`  launched ${ids.length}/${EXPERIMENTS} in ${seconds(Date.now() - launchStarted)}`);

    const views = await waitForAll(stack, ids, started + DEADLINE_MS);
    const allDone = Date.now() - launchStarted;
    const body = await bodies;
    const phases = [...views.values()].reduce<Record<string, number>>((acc, v) => ({ ...acc, [v.phase]: (acc[v.phase] ?? 0) + 1 }), {});
    for (const [id, view] of views) {
      if (view.phase !== 'SUCCEEDED') failures.push(`${id} ended ${view.phase}${FINISHED.has(view.phase) ? '' : ` (still open after ${seconds(DEADLINE_MS)})`}${view.error ? `: ${view.error.slice(0, 300)}` : ''}`);
    }
    const bad = Object.entries(body.statuses).filter(([status]) => status === 'error' || Number(status) >= 500);
    for (const [status, count] of bad) failures.push(`${count} max-size bodies got ${status === 'error' ? 'no answer' : `HTTP ${status}`}`);

    const histories = await scanHistories(stack.server.client);
    for (const t of histories.timedOut) failures.push(`activity ${t.activity} attempt ${t.attempt} timed out (${t.timeoutType}) in ${t.workflowId}`);

    log('');
    log('load test summary');
    log(`  experiments        ${ids.length} launched, phases ${JSON.stringify(phases)}, all finished after ${seconds(allDone)}`);
    log(`  bodies             ${body.requests} requests of ${stack.config.api.maxBodyBytes} bytes (${body.megabytesSent.toFixed(0)} MiB), statuses ${JSON.stringify(body.statuses)}, max latency ${seconds(body.maxLatencyMs)}`);
    log(`  histories          ${histories.workflows} workflows, ${histories.activities} activities, ${histories.retried} retried, ${histories.timedOut.length} timed-out attempts`);
    log(`  schedule-to-start  max ${seconds(histories.maxScheduleToStartMs)} (${histories.maxScheduleToStartActivity || 'none'})`);
    log(`  wall time          ${seconds(Date.now() - started)}`);
    if (failures.length > 0) {
      log(`FAILED (${failures.length}):`);
      for (const f of failures.slice(0, 50)) log(`  ${f}`);
      return 1;
    }
    log('PASSED');
    return 0;
  } finally {
    // Experiments still open (a failed run) are cancelled so no job outlives the stack.
    const open = await stack.api.experiments.list.query({ limit: 500 }).catch(() => []);
    await Promise.allSettled(open.filter((v) => !FINISHED.has(v.phase)).map((v) => stack.api.experiments.cancel.mutate({ id: v.id })));
    await stack.stop();
  }
}

process.exitCode = await main().catch((error: unknown) => {
  process.stderr.write(`load test: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
});
