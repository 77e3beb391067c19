import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';

export interface TemporalSettings {
  TEMPORAL_ADDRESS?: string;
  TEMPORAL_NAMESPACE: string;
  TEMPORAL_API_KEY?: string;
  TEMPORAL_TLS: boolean;
  TEMPORAL_TLS_CERT_PATH?: string;
  TEMPORAL_TLS_KEY_PATH?: string;
  TEMPORAL_TLS_CA_PATH?: string;
  TEMPORAL_TLS_SERVER_NAME?: string;
}

/** Connection options shared by clients and workers: plain, mTLS, or API key (Temporal Cloud). */
function connectionOptions(env: TemporalSettings): NativeConnectionOptions {
  const address = env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
  const mtls = env.TEMPORAL_TLS_CERT_PATH && env.TEMPORAL_TLS_KEY_PATH;
  const tls =
    env.TEMPORAL_TLS || mtls || env.TEMPORAL_API_KEY
      ? {
          ...(env.TEMPORAL_TLS_SERVER_NAME
            ? { serverNameOverride: env.TEMPORAL_TLS_SERVER_NAME }
            : {}),
          ...(env.TEMPORAL_TLS_CA_PATH
            ? { serverRootCACertificate: readFileSync(env.TEMPORAL_TLS_CA_PATH) }
            : {}),
          ...(mtls
            ? {
                clientCertPair: {
                  crt: readFileSync(env.TEMPORAL_TLS_CERT_PATH!),
                  key: readFileSync(env.TEMPORAL_TLS_KEY_PATH!),
                },
              }
            : {}),
        }
      : undefined;
  return {
    address,
    ...(tls ? { tls } : {}),
    ...(env.TEMPORAL_API_KEY ? { apiKey: env.TEMPORAL_API_KEY } : {}),
  };
}

export async function connectClient(env: TemporalSettings): Promise<Client> {
  const connection = await Connection.connect(connectionOptions(env));
  return new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
}

export function connectWorker(env: TemporalSettings): Promise<NativeConnection> {
  return NativeConnection.connect(connectionOptions(env));
}
