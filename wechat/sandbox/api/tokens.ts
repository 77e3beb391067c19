/**
 * Access tokens, in two slots per account that never touch each other (as WeChat keeps them):
 * `stable_token` returns the same token while it has more than its last 5 minutes to live,
 * a new one in those last minutes (the old one lives out its time) and on `force_refresh`
 * (the old one keeps only a short grace); the legacy `GET /cgi-bin/token` issues a new token
 * on every call (the previous legacy token keeps the grace).
 */
import { randomBytes } from 'node:crypto';
import type { SandboxAccount, SandboxState } from '../state';
import { type ApiContext, ApiFail, type ApiRoute, data, obj } from './common';

/** How long before its expiry a stable token is renewed by a normal call. */
const STABLE_RENEW_MS = 5 * 60_000;

type Slot = 'currentToken' | 'legacyToken';

function issue(
  state: SandboxState,
  acct: SandboxAccount,
  now: number,
  slot: Slot,
  previousLives: 'grace' | 'out',
): string {
  const token = `sbx_${randomBytes(24).toString('base64url')}`;
  const previousToken = acct[slot];
  const previous = previousToken ? state.tokens.get(previousToken) : undefined;
  if (previous && previousLives === 'grace')
    previous.expiresAt = Math.min(previous.expiresAt, now + acct.limits.tokenGraceSeconds * 1000);
  state.tokens.set(token, {
    appId: acct.appId,
    expiresAt: now + acct.limits.tokenTtlSeconds * 1000,
    revoked: false,
  });
  acct[slot] = token;
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
  const fresh = current && !current.revoked && current.expiresAt - ctx.now > STABLE_RENEW_MS;
  const token =
    body.force_refresh === true
      ? issue(ctx.state, acct, ctx.now, 'currentToken', 'grace')
      : fresh
        ? acct.currentToken!
        : issue(ctx.state, acct, ctx.now, 'currentToken', 'out');
  return answer(ctx, acct, token);
}

/** Legacy GET /cgi-bin/token: a new token on every call (the old one lives 5 more minutes). */
function legacyToken(ctx: ApiContext) {
  if (ctx.query.get('grant_type') !== 'client_credential')
    throw new ApiFail(40002, 'invalid grant_type');
  const acct = credentials(ctx.state, ctx.query.get('appid'), ctx.query.get('secret'));
  return answer(ctx, acct, issue(ctx.state, acct, ctx.now, 'legacyToken', 'grace'));
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
  if (acct) {
    acct.currentToken = null;
    acct.legacyToken = null;
  }
  return n;
}
