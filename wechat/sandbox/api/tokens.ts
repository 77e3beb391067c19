/** stable_token (and legacy token): one token per account, replaced only on force_refresh. */
import { randomBytes } from 'node:crypto';
import type { SandboxAccount, SandboxState } from '../state';
import { type ApiContext, ApiFail, type ApiRoute, data, obj } from './common';

function issue(state: SandboxState, acct: SandboxAccount, now: number): string {
  const token = `sbx_${randomBytes(24).toString('base64url')}`;
  const previous = acct.currentToken ? state.tokens.get(acct.currentToken) : undefined;
  if (previous)
    previous.expiresAt = Math.min(previous.expiresAt, now + acct.limits.tokenGraceSeconds * 1000);
  state.tokens.set(token, {
    appId: acct.appId,
    expiresAt: now + acct.limits.tokenTtlSeconds * 1000,
    revoked: false,
  });
  acct.currentToken = token;
  return token;
}

function credentials(state: SandboxState, appid: unknown, secret: unknown): SandboxAccount {
  const acct = typeof appid === 'string' ? state.accounts.get(appid) : undefined;
  if (!acct) throw new ApiFail(40013, 'invalid appid');
  if (secret !== acct.secret) throw new ApiFail(40125, 'invalid appsecret');
  return acct;
}

function answer(ctx: ApiContext, acct: SandboxAccount, token: string) {
  const entry = ctx.state.tokens.get(token)!;
  return data({ access_token: token, expires_in: Math.floor((entry.expiresAt - ctx.now) / 1000) });
}

function stableToken(ctx: ApiContext) {
  const body = obj(ctx.body);
  if (body.grant_type !== 'client_credential') throw new ApiFail(40002, 'invalid grant_type');
  const acct = credentials(ctx.state, body.appid, body.secret);
  const current = acct.currentToken ? ctx.state.tokens.get(acct.currentToken) : undefined;
  const valid = current && !current.revoked && current.expiresAt > ctx.now;
  const token =
    valid && body.force_refresh !== true ? acct.currentToken! : issue(ctx.state, acct, ctx.now);
  return answer(ctx, acct, token);
}

/** Legacy GET /cgi-bin/token: a new token on every call (the old one lives 5 more minutes). */
function legacyToken(ctx: ApiContext) {
  if (ctx.query.get('grant_type') !== 'client_credential')
    throw new ApiFail(40002, 'invalid grant_type');
  const acct = credentials(ctx.state, ctx.query.get('appid'), ctx.query.get('secret'));
  return answer(ctx, acct, issue(ctx.state, acct, ctx.now));
}

export const tokenRoutes: ApiRoute[] = [
  { method: 'POST', path: '/cgi-bin/stable_token', auth: false, handler: stableToken },
  { method: 'GET', path: '/cgi-bin/token', auth: false, handler: legacyToken },
];

/** Resolves an access_token to its account or throws 41001/40014/40001/42001. */
export function authenticate(
  state: SandboxState,
  token: string | null,
  now: number,
): SandboxAccount {
  if (!token) throw new ApiFail(41001, 'access_token missing');
  if (!/^[A-Za-z0-9_-]{8,512}$/.test(token)) throw new ApiFail(40014, 'invalid access_token');
  const entry = state.tokens.get(token);
  const acct = entry && state.accounts.get(entry.appId);
  if (!entry || !acct || entry.revoked) {
    throw new ApiFail(40001, 'invalid credential, access_token is invalid or not latest');
  }
  if (entry.expiresAt <= now) throw new ApiFail(42001, 'access_token expired');
  return acct;
}

/** Control API: make every token of an account fail (revoked → 40001, expired → 42001). */
export function invalidateTokens(
  state: SandboxState,
  appId: string,
  how: 'revoke' | 'expire',
  now: number,
): number {
  let n = 0;
  for (const entry of state.tokens.values()) {
    if (entry.appId !== appId) continue;
    if (how === 'revoke') entry.revoked = true;
    else entry.expiresAt = Math.min(entry.expiresAt, now);
    n++;
  }
  const acct = state.accounts.get(appId);
  if (acct) acct.currentToken = null;
  return n;
}
