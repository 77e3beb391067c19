/**
 * Sessions are rows: the browser's cookie holds a random 256-bit token, the table only its
 * SHA-256, so a leaked table (or log line with an id) signs nobody in. A session ends when
 * revoked, after SESSION_IDLE_MS without a request, or SESSION_MAX_MS after sign-in.
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import { sessions, users } from '../../db/schema';
import { clockOf, type Executor, type ServiceDeps } from '../deps';
import type { User } from './users';

export const SESSION_IDLE_MS = 14 * 24 * 3600_000;
export const SESSION_MAX_MS = 30 * 24 * 3600_000;
/** last_seen_at is written at most this often per session (not on every request). */
export const SESSION_TOUCH_MS = 10 * 60_000;

export const sessionIdOf = (token: string): string =>
  createHash('sha256').update(token).digest('hex');

export interface ClientInfo {
  ip?: string | null;
  userAgent?: string | null;
}

export interface NewSession {
  /** Goes into the cookie, never into the database or a log. */
  token: string;
  /** The latest moment the session can last (the cookie's expiry). */
  expiresAt: Date;
}

export interface ActiveSession {
  sessionId: string;
  user: User;
  expiresAt: Date;
}

/** When a session seen at `lastSeen` expires: idle limit, capped by the absolute one. */
export function sessionExpiry(createdAt: Date, lastSeen: Date): Date {
  return new Date(
    Math.min(createdAt.getTime() + SESSION_MAX_MS, lastSeen.getTime() + SESSION_IDLE_MS),
  );
}

export function createSessions(deps: ServiceDeps) {
  const now = clockOf(deps);

  async function create(
    userId: string,
    client: ClientInfo = {},
    db: Executor = deps.db,
  ): Promise<NewSession> {
    const token = randomBytes(32).toString('base64url');
    const at = now();
    const expiresAt = sessionExpiry(at, at);
    await db.insert(sessions).values({
      id: sessionIdOf(token),
      userId,
      createdAt: at,
      lastSeenAt: at,
      expiresAt,
      ip: client.ip?.slice(0, 64) ?? null,
      userAgent: client.userAgent?.slice(0, 300) ?? null,
    });
    return { token, expiresAt: new Date(at.getTime() + SESSION_MAX_MS) };
  }

  async function revoke(token: string): Promise<void> {
    await deps.db
      .update(sessions)
      .set({ revokedAt: now() })
      .where(and(eq(sessions.id, sessionIdOf(token)), isNull(sessions.revokedAt)));
  }

  return {
    create,
    revoke,

    /** The signed-in user of a token, sliding the idle expiry; null when unknown or ended. */
    async lookup(token: string | null | undefined): Promise<ActiveSession | null> {
      if (!token) return null;
      const id = sessionIdOf(token);
      const [row] = await deps.db
        .select({
          createdAt: sessions.createdAt,
          lastSeenAt: sessions.lastSeenAt,
          expiresAt: sessions.expiresAt,
          revokedAt: sessions.revokedAt,
          user: { id: users.id, email: users.email, name: users.name },
        })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(eq(sessions.id, id));
      const at = now();
      if (!row || row.revokedAt || row.expiresAt <= at) return null;
      let expiresAt = row.expiresAt;
      if (at.getTime() - row.lastSeenAt.getTime() >= SESSION_TOUCH_MS) {
        expiresAt = sessionExpiry(row.createdAt, at);
        await deps.db
          .update(sessions)
          .set({ lastSeenAt: at, expiresAt })
          .where(eq(sessions.id, id));
      }
      return { sessionId: id, user: row.user, expiresAt };
    },

    /**
     * Ends every session of a user — all but `keepToken`'s when given (a password change
     * signs out the other browsers).
     */
    async revokeAllForUser(userId: string, keepToken?: string): Promise<number> {
      const ended = await deps.db
        .update(sessions)
        .set({ revokedAt: now() })
        .where(
          and(
            eq(sessions.userId, userId),
            isNull(sessions.revokedAt),
            keepToken ? ne(sessions.id, sessionIdOf(keepToken)) : sql`true`,
          ),
        )
        .returning({ id: sessions.id });
      return ended.length;
    },

    /**
     * A fresh token for the same user, the old one revoked (sign-in over an existing session,
     * a password change). Null when `token` names no live session.
     */
    async rotate(token: string, client: ClientInfo = {}): Promise<NewSession | null> {
      return deps.db.transaction(async (tx) => {
        const [old] = await tx
          .update(sessions)
          .set({ revokedAt: now() })
          .where(
            and(
              eq(sessions.id, sessionIdOf(token)),
              isNull(sessions.revokedAt),
              gt(sessions.expiresAt, now()),
            ),
          )
          .returning({ userId: sessions.userId });
        return old ? create(old.userId, client, tx) : null;
      });
    },
  };
}

export type SessionsService = ReturnType<typeof createSessions>;
