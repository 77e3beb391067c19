/**
 * Signing in: throttle, verify, record, open a session. Every refusal is one of two answers —
 * "email or password is wrong" (never which) or "too many attempts, try again in N minutes".
 */
import { normalizeEmail, type UsersService, type User } from './users';
import type { ClientInfo, NewSession, SessionsService } from './sessions';
import { waitMinutes, type LoginThrottle } from './throttle';

export type LoginResult =
  | { ok: true; user: User; session: NewSession }
  | { ok: false; code: 'credentials_wrong' }
  | { ok: false; code: 'too_many_attempts'; retryAfterMinutes: number };

export function createLogin(deps: {
  users: UsersService;
  sessions: SessionsService;
  throttle: LoginThrottle;
}) {
  return async function login(input: {
    email: unknown;
    password: unknown;
    client?: ClientInfo;
    /** The browser's current session, if any: replaced, so a planted session id is useless. */
    previousToken?: string | null;
  }): Promise<LoginResult> {
    const email = typeof input.email === 'string' ? normalizeEmail(input.email).slice(0, 254) : '';
    const password = typeof input.password === 'string' ? input.password : '';
    const key = { email, ip: input.client?.ip ?? null };
    const before = await deps.throttle.check(key);
    if (!before.ok) {
      return {
        ok: false,
        code: 'too_many_attempts',
        retryAfterMinutes: waitMinutes(before.retryAfterMs),
      };
    }
    const user = email && password ? await deps.users.verifyCredentials(email, password) : null;
    await deps.throttle.record(key, user !== null);
    if (!user) {
      // The attempt that reaches the limit already says so.
      const after = await deps.throttle.check(key);
      if (!after.ok) {
        return {
          ok: false,
          code: 'too_many_attempts',
          retryAfterMinutes: waitMinutes(after.retryAfterMs),
        };
      }
      return { ok: false, code: 'credentials_wrong' };
    }
    if (input.previousToken) await deps.sessions.revoke(input.previousToken);
    const session = await deps.sessions.create(user.id, input.client);
    return { ok: true, user, session };
  };
}
