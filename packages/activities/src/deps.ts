import type { Client } from '@temporalio/client';
import type { ArtifactStore } from '@ballast/artifacts';
import type { Backend } from '@ballast/backends';
import type { Db } from '@ballast/db';

/** The `ml` configuration the training and eval activities need (docs/frameworks.md). */
export interface MlDeps {
  /** Interpreter of an environment as the nodes of a backend see it; null when no such environment. */
  readonly pythonFor: (environment: string, backend: string) => string | null;
  readonly commands: Readonly<Record<string, { readonly program: string; readonly args: readonly string[] }>>;
}

/** What the activities need from the process that hosts them; the worker builds this once. */
export interface ActivityDeps {
  readonly db: Db;
  readonly store: ArtifactStore;
  readonly backends: Readonly<Record<string, Backend>>;
  /** Used to signal workflows (checkpoint committed) from inside activities. */
  readonly temporal: Client;
  readonly paths: {
    /** Root of the artifact store on the local file system (shared with non-local backends). */
    readonly artifacts: string;
    readonly referenceDatasets: string;
    /**
     * Where a dataset path a user names may resolve: $BALLAST_HOME/datasets plus `datasets.allowedRoots`.
     * Unset: only the parent of `referenceDatasets` ($BALLAST_HOME/datasets), the narrowest safe choice.
     */
    readonly datasetRoots?: readonly string[];
    readonly benchmarks: string;
  };
  readonly pollIntervalMs: number;
  /** Real models: configured environments and commands (a spec picks them by name). Absent: only the reference workload runs. */
  readonly ml?: MlDeps;
  /** Where a mix copy's I/O runs (see @ballast/mixing CopyMode); default `auto`. */
  readonly mixCopy?: 'auto' | 'native' | 'node';
  readonly log: (level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
}
