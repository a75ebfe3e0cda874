import { loadConfig, type BallastConfig } from '@ballast/config';
import { createApiClient, type BallastClient } from './api-client.js';

export interface CliContext {
  readonly config: BallastConfig;
  readonly apiUrl: string;
  readonly client: BallastClient;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** Builds the CLI context: configuration from file < env < flags, and an API client. */
export function cliContext(flags: { home?: string | undefined; api?: string | undefined }): CliContext {
  const config = loadConfig({
    flags: { ...(flags.home ? { home: flags.home } : {}), ...(flags.api ? { api: { url: flags.api } } : {}) },
  });
  const apiUrl = config.api.url ?? `http://${config.api.host}:${config.api.port}`;
  return {
    config,
    apiUrl,
    client: createApiClient(apiUrl),
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  };
}
