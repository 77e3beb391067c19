import {
  DatabaseEnv,
  LogEnv,
  SecretEnv,
  TemporalEnv,
  WebhookEnv,
  WechatEnv,
  loadDotEnv,
  parseEnv,
} from '../config/env';

/** The CLI's environment: it finds the embedded database itself when DATABASE_URL is unset. */
export function cliEnv() {
  loadDotEnv();
  return parseEnv({
    ...LogEnv,
    ...DatabaseEnv,
    ...TemporalEnv,
    ...WechatEnv,
    ...WebhookEnv,
    ...SecretEnv,
  });
}
export type CliEnv = ReturnType<typeof cliEnv>;

/** The webhook allow-list alone, for commands that need no database (flow validate, compile). */
export function webhookAllowList(): string[] {
  loadDotEnv();
  return parseEnv(WebhookEnv).WEBHOOK_ALLOW_HOSTS;
}
