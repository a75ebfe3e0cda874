/**
 * How Ballast finds, installs and runs the embedded Temporal server: the `temporal` CLI's dev server on
 * loopback, with its state persisted under BALLAST_HOME.
 *
 * @example
 * const cli = await findTemporalCli({ explicitPath, searchPath: process.env.PATH, toolsDir, install: true, log });
 * const temporal = await startTemporalDevServer({ cliPath: cli.path, stateDir, host: '127.0.0.1', port: 7233,
 *   namespace: 'ballast', searchAttributes: { BallastExperimentId: 'Keyword' }, log });
 */
export * from './cli.js';
export * from './dev-server.js';
