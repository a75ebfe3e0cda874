/**
 * Ballast configuration: defaults < config file < environment < flags, validated once per app with zod.
 * Nothing else in Ballast reads process.env for settings.
 *
 * @example
 * const config = loadConfig({ flags: { api: { port: 7400 } } });
 * const paths = homePaths(config);
 */
export * from './schema.js';
export * from './env-bindings.js';
export * from './load.js';
export * from './paths.js';
export * from './terminal-text.js';
