import { readFileSync } from 'node:fs';
import type { BallastConfig } from '@ballast/config';

/** Connection options for both the client Connection and the worker's NativeConnection. */
export function temporalConnectionOptions(config: BallastConfig, address: string) {
  const tls = config.temporal.tls;
  const tlsOptions = tls.enabled
    ? {
        ...(tls.serverName ? { serverNameOverride: tls.serverName } : {}),
        ...(tls.caPath ? { serverRootCACertificate: readFileSync(tls.caPath) } : {}),
        ...(tls.certPath && tls.keyPath
          ? { clientCertPair: { crt: readFileSync(tls.certPath), key: readFileSync(tls.keyPath) } }
          : {}),
      }
    : undefined;
  return {
    address,
    ...(tlsOptions ? { tls: tlsOptions } : {}),
    ...(config.temporal.apiKey ? { apiKey: config.temporal.apiKey } : {}),
  };
}
