import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DatabaseEnv,
  EnvError,
  LogEnv,
  SecretEnv,
  TemporalEnv,
  WebEnv,
  WebhookEnv,
  WechatEnv,
  WorkerEnv,
  parseEnv,
  secretKey,
} from './env';

const fragments = {
  ...LogEnv,
  ...DatabaseEnv,
  ...TemporalEnv,
  ...WechatEnv,
  ...WorkerEnv,
  ...WebEnv,
  ...WebhookEnv,
  ...SecretEnv,
};

describe('environment', () => {
  it('.env.example lists every variable the processes read, and nothing else', () => {
    const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
    const listed = [...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]).sort();
    expect(listed).toEqual(Object.keys(fragments).sort());
  });

  it('the defaults in .env.example are the defaults the code uses', () => {
    const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
    const values = Object.fromEntries(
      [...example.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1], m[2]]),
    );
    expect(parseEnv(fragments, values)).toEqual(parseEnv(fragments, {}));
  });

  it('fails fast naming the variable', () => {
    expect(() => parseEnv(DatabaseEnv, { DATABASE_URL: 'nope' })).toThrowError(EnvError);
    expect(() => parseEnv(WebEnv, { PORT: 'http' })).toThrowError(/PORT/);
    expect(() => parseEnv(TemporalEnv, { TEMPORAL_TLS: 'maybe' })).toThrowError(/TEMPORAL_TLS/);
  });

  it('treats empty values as unset and coerces numbers and booleans', () => {
    const env = parseEnv(
      { ...WebEnv, ...TemporalEnv },
      { PORT: '', TEMPORAL_TLS: '1', TEMPORAL_DEV_PORT: '9000' },
    );
    expect(env.PORT).toBe(3000);
    expect(env.TEMPORAL_TLS).toBe(true);
    expect(env.TEMPORAL_DEV_PORT).toBe(9000);
  });

  it('reads the webhook allow-list, and names an entry it cannot read', () => {
    expect(
      parseEnv(WebhookEnv, { WEBHOOK_ALLOW_HOSTS: '127.0.0.1, crm.internal 10.0.0.0/8' })
        .WEBHOOK_ALLOW_HOSTS,
    ).toEqual(['127.0.0.1', 'crm.internal', '10.0.0.0/8']);
    expect(parseEnv(WebhookEnv, {}).WEBHOOK_ALLOW_HOSTS).toEqual([]);
    expect(() =>
      parseEnv(WebhookEnv, { WEBHOOK_ALLOW_HOSTS: '10.0.0.0/40,ok.example' }),
    ).toThrowError(/WEBHOOK_ALLOW_HOSTS: .*10\.0\.0\.0\/40/);
  });

  it('requires FANFARE_SECRET_KEY in production only', () => {
    expect(() => secretKey({ NODE_ENV: 'production', DATA_DIR: '/nonexistent' })).toThrowError(
      /FANFARE_SECRET_KEY/,
    );
    const key = 'ab'.repeat(32);
    expect(
      secretKey({ NODE_ENV: 'production', DATA_DIR: '/nonexistent', FANFARE_SECRET_KEY: key }),
    ).toBe(key);
  });
});
