import { ApplicationFailure } from '@temporalio/common';
import { isBenchmarkRegistryError } from '@ballast/benchmarks';
import { pressureRef, type BenchmarkInfo, type EvalPressure, type ResolvedExperimentSpec } from '@ballast/schema';
import type { ActivityDeps } from './deps.js';
import { benchmarksFor, currentRegistry } from './benchmark-selection.js';
import { sha256Hex } from './hashing.js';

/**
 * One checkpoint evaluation: by default on the experiment's benchmarks without pressure; persistence
 * asks for its own benchmarks, and for a pressure condition the experiment locked at launch.
 */
export interface EvaluationRequest {
  readonly experimentId: string;
  readonly armId: string;
  readonly checkpointId: string;
  readonly benchmarks?: readonly string[];
  /** `id@version` of a condition in the experiment's `persistence.pressure`. */
  readonly pressure?: string;
}

/** The benchmarks a request evaluates. */
export async function requestedBenchmarks(deps: ActivityDeps, spec: ResolvedExperimentSpec, request: EvaluationRequest): Promise<BenchmarkInfo[]> {
  if (request.benchmarks === undefined) return await benchmarksFor(deps, spec);
  try {
    return (await currentRegistry(deps)).resolve([...request.benchmarks]);
  } catch (err) {
    if (isBenchmarkRegistryError(err)) throw ApplicationFailure.nonRetryable(err.message, err.code);
    throw err;
  }
}

/**
 * The pressure a request applies, as the eval job takes it; null for none (a level-0 condition applies
 * nothing, so its results are the unpressured ones and share their cache keys).
 */
export function requestedPressure(spec: ResolvedExperimentSpec, request: EvaluationRequest): EvalPressure | null {
  if (request.pressure === undefined) return null;
  const condition = spec.spec.persistence?.pressure.find((c) => pressureRef(c) === request.pressure);
  if (!condition) throw ApplicationFailure.nonRetryable(`pressure condition ${request.pressure} is not in this experiment's persistence.pressure`, 'NotFound');
  if (condition.kind === 'none') return null;
  return {
    ref: pressureRef(condition),
    kind: condition.kind,
    ...(condition.systemMessage === undefined ? {} : { systemMessage: condition.systemMessage }),
    ...(condition.promptWrapper === undefined ? {} : { promptWrapper: condition.promptWrapper }),
    simulatedPressure: condition.simulatedPressure,
  };
}

/** An eval config hash under pressure: the condition (its full content) joins the cache key. */
export function pressuredConfigHash(configHash: string, pressure: EvalPressure | null): string {
  return pressure === null ? configHash : sha256Hex(`${configHash}|pressure|${JSON.stringify(pressure)}`);
}
