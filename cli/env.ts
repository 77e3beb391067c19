import {
  DatabaseEnv,
  LogEnv,
  SecretEnv,
  TemporalEnv,
  WechatEnv,
  loadDotEnv,
  parseEnv,
} from '../config/env';

/** The CLI's environment: it finds the embedded database itself when DATABASE_URL is unset. */
export function cliEnv() {
  loadDotEnv();
  return parseEnv({ ...LogEnv, ...DatabaseEnv, ...TemporalEnv, ...WechatEnv, ...SecretEnv });
}
export type CliEnv = ReturnType<typeof cliEnv>;
