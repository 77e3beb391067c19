/**
 * Sign-in throttling, per account and per client address. The arithmetic is pure
 * (`throttleWait`); the store is the login_attempts table.
 *
 * - Account: 5 failures within 15 minutes lock the email for the rest of those 15 minutes.
 *   Failures before the account's last successful sign-in do not count, so a person who
 *   mistyped a few times and then got in starts afresh.
 * - Address: 20 failures within 15 minutes from one address, across any emails (password
 *   spraying); a success does not reset it. Offices behind one NAT share an address, hence
 *   the higher limit. No address known (no trusted proxy): only the account rule applies.
 */
import { and, desc, eq, gt, lt, max, sql } from 'drizzle-orm';
import { loginAttempts } from '../../db/schema';
import { clockOf, type ServiceDeps } from '../deps';

export interface ThrottleRule {
  limit: number;
  windowMs: number;
}

export const ACCOUNT_RULE: ThrottleRule = { limit: 5, windowMs: 15 * 60_000 };
export const ADDRESS_RULE: ThrottleRule = { limit: 20, windowMs: 15 * 60_000 };

/**
 * How long (ms) until another attempt is allowed, given the times of the failures that count:
 * 0 when fewer than `limit` fall within the window; else until the `limit`-th most recent one
 * leaves it.
 */
export function throttleWait(failures: readonly Date[], rule: ThrottleRule, now: Date): number {
  const t = now.getTime();
  const recent = failures
    .map((f) => f.getTime())
    .filter((f) => f > t - rule.windowMs && f <= t)
    .sort((a, b) => b - a);
  if (recent.length < rule.limit) return 0;
  return recent[rule.limit - 1]! + rule.windowMs - t;
}

/** Whole minutes to tell a person (never "0 minutes"). */
export const waitMinutes = (ms: number): number => Math.max(1, Math.ceil(ms / 60_000));

export type ThrottleCheck =
  { ok: true } | { ok: false; scope: 'account' | 'address'; retryAfterMs: number };

export function createLoginThrottle(
  deps: ServiceDeps,
  rules: { account: ThrottleRule; address: ThrottleRule } = {
    account: ACCOUNT_RULE,
    address: ADDRESS_RULE,
  },
) {
  const now = clockOf(deps);

  async function accountFailures(email: string, at: Date): Promise<Date[]> {
    const since = new Date(at.getTime() - rules.account.windowMs);
    const lastSuccess = deps.db
      .select({ at: max(loginAttempts.at) })
      .from(loginAttempts)
      .where(and(eq(loginAttempts.email, email), eq(loginAttempts.succeeded, true)));
    const rows = await deps.db
      .select({ at: loginAttempts.at })
      .from(loginAttempts)
      .where(
        and(
          eq(loginAttempts.email, email),
          eq(loginAttempts.succeeded, false),
          gt(loginAttempts.at, since),
          sql`${loginAttempts.at} > coalesce((${lastSuccess}), '-infinity')`,
        ),
      )
      .orderBy(desc(loginAttempts.at))
      .limit(rules.account.limit);
    return rows.map((r) => r.at);
  }

  async function addressFailures(ip: string, at: Date): Promise<Date[]> {
    const since = new Date(at.getTime() - rules.address.windowMs);
    const rows = await deps.db
      .select({ at: loginAttempts.at })
      .from(loginAttempts)
      .where(
        and(
          eq(loginAttempts.ip, ip),
          eq(loginAttempts.succeeded, false),
          gt(loginAttempts.at, since),
        ),
      )
      .orderBy(desc(loginAttempts.at))
      .limit(rules.address.limit);
    return rows.map((r) => r.at);
  }

  return {
    /** Whether a sign-in as `email` from `ip` may be tried now. */
    async check(key: { email: string; ip?: string | null }): Promise<ThrottleCheck> {
      const at = now();
      const account = throttleWait(await accountFailures(key.email, at), rules.account, at);
      const address = key.ip
        ? throttleWait(await addressFailures(key.ip, at), rules.address, at)
        : 0;
      if (account === 0 && address === 0) return { ok: true };
      return account >= address
        ? { ok: false, scope: 'account', retryAfterMs: account }
        : { ok: false, scope: 'address', retryAfterMs: address };
    },

    async record(key: { email: string; ip?: string | null }, succeeded: boolean): Promise<void> {
      const at = now();
      await deps.db
        .insert(loginAttempts)
        .values({ email: key.email, ip: key.ip ?? null, succeeded, at });
      // Attempts older than a day count for nothing: keep the table small.
      if (succeeded) {
        await deps.db
          .delete(loginAttempts)
          .where(lt(loginAttempts.at, new Date(at.getTime() - 24 * 3600_000)));
      }
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
