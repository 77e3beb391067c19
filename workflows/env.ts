import {
  DatabaseEnv,
  LogEnv,
  SecretEnv,
  TemporalEnv,
  WebhookEnv,
  WechatEnv,
  WorkerEnv,
  loadDotEnv,
  parseEnv,
} from '../config/env';

/** The worker process's environment. */
export function workerEnv(source: Record<string, string | undefined> = process.env) {
  if (source === process.env) loadDotEnv();
  return parseEnv(
    {
      ...LogEnv,
      ...DatabaseEnv,
      ...TemporalEnv,
      ...WorkerEnv,
      ...WechatEnv,
      ...WebhookEnv,
      ...SecretEnv,
    },
    source,
  );
}
export type WorkerEnv = ReturnType<typeof workerEnv>;

/** Without TEMPORAL_ADDRESS the worker talks to the local dev server. */
export function temporalAddress(
  env: Pick<WorkerEnv, 'TEMPORAL_ADDRESS' | 'TEMPORAL_DEV_PORT'>,
): string {
  return env.TEMPORAL_ADDRESS ?? `127.0.0.1:${env.TEMPORAL_DEV_PORT}`;
}
