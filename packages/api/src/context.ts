import type { Client } from '@temporalio/client';
import type { Db } from '@ballast/db';
import type { BenchmarkInfo } from '@ballast/schema';

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
  /** Backends the workers of this deployment are configured for (always 'local'). */
  readonly configuredBackends: readonly string[];
  /** The benchmark registry evaluators on this deployment can run. */
  readonly benchmarks: readonly BenchmarkInfo[];
}
