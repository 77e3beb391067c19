/**
 * Environment parsing shared by every process (web, worker, CLI, dev orchestrator).
 * Each process declares its own schema from these fragments and parses it once at boot;
 * a bad or missing variable stops the process with a message that names the variable.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseAllowList } from '../engine/net';

export class EnvError extends Error {
  readonly code = 'E_ENV';
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

/** Empty strings count as unset, so `FOO=` in a .env file falls back to the default. */
function withoutEmpty(source: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) {
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

export function parseEnv<S extends z.ZodRawShape>(
  shape: S,
  source: Record<string, string | undefined> = process.env,
): z.infer<z.ZodObject<S>> {
  const result = z.object(shape).safeParse(withoutEmpty(source));
  if (result.success) return result.data;
  throw new EnvError(
    result.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`),
  );
}

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

export const LogEnv = {
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
};

/** DATABASE_URL absent means: the embedded PostgreSQL under DATA_DIR. */
export const DatabaseEnv = {
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('.data'),
  EMBEDDED_PG_PORT: port(5433),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
};

/** TEMPORAL_ADDRESS absent means: the Temporal CLI dev server persisted under DATA_DIR. */
export const TemporalEnv = {
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('fanfare'),
  TEMPORAL_API_KEY: z.string().optional(),
  TEMPORAL_TLS: bool(false),
  TEMPORAL_TLS_CERT_PATH: z.string().optional(),
  TEMPORAL_TLS_KEY_PATH: z.string().optional(),
  TEMPORAL_TLS_CA_PATH: z.string().optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().optional(),
  TEMPORAL_CLI_PATH: z.string().optional(),
  TEMPORAL_DEV_PORT: port(7233),
  TEMPORAL_UI_PORT: port(8233),
};

export const WechatEnv = {
  WECHAT_API_BASE: z.string().url().optional(),
  WECHAT_SANDBOX_PORT: port(3100),
};

export const WorkerEnv = {
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).default(100),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(1).default(40),
  WORKFLOW_BUNDLE_PATH: z.string().optional(),
  WORKER_SHUTDOWN_GRACE: z.string().default('30s'),
};

/**
 * Webhooks (`action.webhook`) never reach private, loopback, link-local or metadata addresses,
 * except the hosts and networks listed here (comma- or space-separated: `crm.internal`,
 * `*.corp.example`, `10.1.2.3`, `10.1.0.0/16`, `fd00:1::/64`). The web app and the CLI refuse
 * such URLs at save time; the worker refuses them when it connects.
 */
export const WebhookEnv = {
  WEBHOOK_ALLOW_HOSTS: z
    .string()
    .default('')
    .transform((text, ctx) => {
      const { invalid } = parseAllowList(text);
      if (invalid.length) {
        ctx.addIssue({
          code: 'custom',
          message: `not a host name, IP address or CIDR network: ${invalid.join(', ')}`,
        });
        return z.NEVER;
      }
      return text.split(/[\s,]+/).filter(Boolean);
    }),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  WEBHOOK_MAX_RESPONSE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(1_048_576),
};

export const WebEnv = {
  PORT: port(3000),
  HOST: z.string().default('127.0.0.1'),
  /**
   * Reverse proxies in front of the web server that append to X-Forwarded-For. 0: none — the
   * client's address is unknown to the app and sign-in is throttled per account only.
   */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /**
   * The address people and WeChat reach Fanfare at (e.g. https://fanfare.example.com), for
   * the callback URL a brand's connection page shows. Unset: the address of the request.
   */
  PUBLIC_URL: z
    .string()
    .url()
    .refine((url) => /^https?:\/\//.test(url), 'must start with http:// or https://')
    .optional(),
};

/**
 * Mail (optional): invitations are emailed through MAIL_URL (smtp:// or smtps://, with the
 * account in it: smtps://user:password@smtp.example.com) from MAIL_FROM. Unset: nothing is
 * emailed; the invitation link is shown to copy, as always. Never logged.
 */
export const MailEnv = {
  MAIL_URL: z
    .string()
    .url()
    .refine((url) => /^smtps?:\/\//.test(url), 'must start with smtp:// or smtps://')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Fanfare <fanfare@localhost>'),
};

/**
 * FANFARE_SECRET_KEY encrypts brand credentials at rest. Required in production; in
 * development a random key is generated once into DATA_DIR so every process shares it.
 */
export const SecretEnv = {
  FANFARE_SECRET_KEY: z
    .string()
    .regex(/^[0-9a-f]{64}$/i, 'must be 64 hex characters (32 bytes)')
    .optional(),
};

export function secretKey(env: {
  FANFARE_SECRET_KEY?: string;
  NODE_ENV: string;
  DATA_DIR: string;
}): string {
  if (env.FANFARE_SECRET_KEY) return env.FANFARE_SECRET_KEY;
  if (env.NODE_ENV === 'production') {
    throw new EnvError(['FANFARE_SECRET_KEY: required in production (64 hex characters)']);
  }
  const file = join(env.DATA_DIR, 'secret-key');
  if (!existsSync(file)) {
    mkdirSync(env.DATA_DIR, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  }
  return readFileSync(file, 'utf8').trim();
}

/** Loads `.env` from the working directory when there is one; real env vars win. */
export function loadDotEnv(path = '.env'): void {
  try {
    process.loadEnvFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
