import type { Client } from '@temporalio/client';
import type { Registry } from '@ballast/benchmarks';
import type { Db } from '@ballast/db';
import type { RealModelLaunchContext } from './services/real-model-launch.js';

/** The benchmark registry as the API sees it (built by the app that hosts the API). */
export interface BenchmarkSource {
  /** The registry now: the built-in twins and every stored entry. Read per call: entries are added at run time. */
  readonly registry: () => Promise<Registry>;
  /** Where the task files and task directories an added entry names may lie (the ML roots). */
  readonly roots: readonly string[];
  /** How an operator widens those roots, quoted when a path is refused. */
  readonly rootsSetting: string;
}

/** What every procedure can use. Built once per server by the app that hosts the API. */
export interface ApiContext {
  readonly db: Db;
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly provenance: { readonly ballastVersion: string; readonly gitCommit: string | null; readonly defaultUser: string };
  /** Tail of a job's output from its backend; undefined when the backend is unknown here. */
  readonly jobLogs: (job: { backend: string; attemptKey: string }, tailLines: number) => Promise<string[]>;
  /**
   * Why the workers could not read a dataset URI (outside the allowed roots, missing, not a regular
   * file), or null when they can; reference:// corpora are generated on first use.
   */
  readonly datasetIssue: (uri: string) => string | null;
  /** The checked absolute path of a `file://` dataset URI, or null where datasetIssue reports it. */
  readonly datasetPath: (uri: string) => string | null;
  /** Backends the workers of this deployment are configured for (always 'local'). */
  readonly configuredBackends: readonly string[];
  /** Real models (TRL, verl, OpenRLHF, commands): environments, commands and roots. Absent: only the reference workload launches. */
  readonly ml?: RealModelLaunchContext;
  /** The benchmark registry (built-in twins and added entries) and the roots added entries' paths must lie in. */
  readonly benchmarks: BenchmarkSource;
}
