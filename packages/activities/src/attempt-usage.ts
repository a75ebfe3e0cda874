import type { BackendJobHandle, BackendObservation } from '@ballast/backends';

/** An observation in which the backend answered with a state. */
export type TerminalObservation = Extract<BackendObservation, { kind: 'state' }>;

/** What an attempt holds per node while it runs, times its nodes. */
export interface Usage {
  readonly gpus: number;
  readonly cpus: number;
}

/** Wall seconds from `startedAt` to `endedAt`, or to now when the end is unknown; never negative. */
export function seconds(startedAt: string, endedAt: string | undefined): number {
  const end = endedAt ? Date.parse(endedAt) : Date.now();
  return Math.max(0, (end - Date.parse(startedAt)) / 1000);
}

export function usageSeconds(wall: number, usage: Usage) {
  return { gpuSeconds: wall * usage.gpus, cpuSeconds: wall * usage.cpus, resourceSeconds: wall * (usage.gpus > 0 ? usage.gpus : usage.cpus) };
}

/**
 * An observation as the attempt records it. Its time is charged from the backend's start (or, when this
 * observation lacks one, e.g. LOST, the start seen earlier) to its end, or to now for a job that ended
 * without the backend saying when.
 */
export function observationRecord(obs: TerminalObservation, handle: BackendJobHandle, usage: Usage, startedAt?: string) {
  const start = obs.startedAt ?? startedAt;
  return {
    state: obs.state,
    detail: obs.detail ?? null,
    backendJobId: handle.backendJobId,
    ...(obs.exitCode !== undefined ? { exitCode: obs.exitCode } : {}),
    ...(obs.startedAt ? { startedAt: new Date(obs.startedAt) } : {}),
    ...(obs.endedAt ? { endedAt: new Date(obs.endedAt) } : {}),
    ...(start && obs.state !== 'QUEUED' ? usageSeconds(seconds(start, obs.endedAt), usage) : {}),
  };
}
