/**
 * The web process's environment, parsed once when the server module graph loads.
 * Unlike the CLI, the web app never starts the embedded database itself: the dev
 * orchestrator (`npm run dev`) or the operator always passes DATABASE_URL.
 */
import { z } from 'zod';
import {
  DatabaseEnv,
  LogEnv,
  MailEnv,
  SecretEnv,
  TemporalEnv,
  WebEnv,
  WebhookEnv,
  WechatEnv,
  loadDotEnv,
  parseEnv,
} from '../config/env';

loadDotEnv();

export const env = parseEnv({
  ...LogEnv,
  ...DatabaseEnv,
  DATABASE_URL: z
    .string({
      error:
        'is required for the web app (npm run dev passes it; in production set it to your Postgres URL)',
    })
    .url(),
  ...TemporalEnv,
  ...WechatEnv,
  ...WebEnv,
  ...WebhookEnv,
  ...SecretEnv,
  ...MailEnv,
});

export type WebProcessEnv = typeof env;
