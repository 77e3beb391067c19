/** What an API handler receives and how it fails (WeChat answers errors as HTTP 200 + errcode). */
import type { SandboxAccount, SandboxFollower, SandboxState } from '../state';

export interface ApiContext {
  state: SandboxState;
  /** The account the access token belongs to (null for the token endpoints themselves). */
  account: SandboxAccount | null;
  query: URLSearchParams;
  body: unknown;
  now: number;
}

/** A JSON value, or raw JSON text when a 64-bit number must be written unquoted. */
export type ApiReply = { json: Record<string, unknown> } | { raw: string };

export type ApiHandler = (ctx: ApiContext) => ApiReply;

export interface ApiRoute {
  method: 'GET' | 'POST';
  path: string;
  /** false only for the token endpoints. */
  auth: boolean;
  handler: ApiHandler;
}

export class ApiFail extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`${errcode} ${errmsg}`);
  }
}

export const ok = (extra: Record<string, unknown> = {}): ApiReply => ({
  json: { errcode: 0, errmsg: 'ok', ...extra },
});
export const data = (json: Record<string, unknown>): ApiReply => ({ json });

export function account(ctx: ApiContext): SandboxAccount {
  if (!ctx.account) throw new ApiFail(41001, 'access_token missing');
  return ctx.account;
}

export function obj(value: unknown): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new ApiFail(47001, 'data format error');
  }
  return value as Record<string, unknown>;
}

export function str(value: unknown, errcode = 47001, errmsg = 'data format error'): string {
  if (typeof value !== 'string') throw new ApiFail(errcode, errmsg);
  return value;
}

export function int(value: unknown, errcode = 47001, errmsg = 'data format error'): number {
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new ApiFail(errcode, errmsg);
  return n;
}

export function follower(acct: SandboxAccount, openid: unknown): SandboxFollower {
  const f = typeof openid === 'string' ? acct.followers.get(openid) : undefined;
  if (!f) throw new ApiFail(40003, 'invalid openid');
  return f;
}

export function utf8Bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}
