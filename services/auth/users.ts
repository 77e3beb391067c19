/** Users: create, look up, verify a password, change it. */
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { users } from '../../db/schema';
import { clockOf, type Executor, type ServiceDeps } from '../deps';
import { ServiceError, isUniqueViolation } from '../errors';
import { hashPassword, passwordProblem, verifyNobody, verifyPassword } from './passwords';

export interface User {
  id: string;
  email: string;
  name: string;
}

const EmailSchema = z.string().trim().toLowerCase().pipe(z.email().max(254));

/** Emails are compared trimmed and lower-cased (the unique index says the same in SQL). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The normalised email, or a ServiceError on the `email` field. */
export function parseEmail(email: unknown): string {
  const parsed = EmailSchema.safeParse(email);
  if (!parsed.success) {
    throw new ServiceError('email_invalid', 'this is not an email address', 'email');
  }
  return parsed.data;
}

export function parseName(name: unknown): string {
  const value = typeof name === 'string' ? name.trim() : '';
  if (value.length > 100) {
    throw new ServiceError('name_too_long', 'a name has at most 100 characters', 'name');
  }
  return value;
}

/** Throws on the `field` when the password breaks the length rule. */
export function checkPassword(password: unknown, field = 'password'): string {
  const value = typeof password === 'string' ? password : '';
  const problem = passwordProblem(value);
  if (problem) {
    const message =
      problem === 'password_too_short' ? 'the password is too short' : 'the password is too long';
    throw new ServiceError(problem, message, field);
  }
  return value;
}

const columns = { id: users.id, email: users.email, name: users.name };

export function createUsers(deps: ServiceDeps) {
  const now = clockOf(deps);

  async function setPassword(userId: string, password: unknown, db: Executor = deps.db) {
    const passwordHash = await hashPassword(checkPassword(password));
    await db
      .update(users)
      .set({ passwordHash, passwordChangedAt: now(), updatedAt: now() })
      .where(eq(users.id, userId));
  }

  async function byEmail(email: string, db: Executor = deps.db) {
    const [row] = await db
      .select({ ...columns, passwordHash: users.passwordHash })
      .from(users)
      .where(sql`lower(${users.email}) = ${normalizeEmail(email)}`);
    return row ?? null;
  }

  return {
    /**
     * A new user with a hashed password. Hash first (slow), then insert — in `db` when a
     * caller's transaction should hold it.
     */
    async create(
      input: { email: unknown; name?: unknown; password: unknown },
      db: Executor = deps.db,
    ): Promise<User> {
      const email = parseEmail(input.email);
      const name = parseName(input.name);
      const passwordHash = await hashPassword(checkPassword(input.password));
      try {
        const [row] = await db
          .insert(users)
          .values({ email, name, passwordHash, passwordChangedAt: now() })
          .returning(columns);
        return row!;
      } catch (error) {
        if (isUniqueViolation(error, 'users_email_lower_uq')) {
          throw new ServiceError('email_taken', `a user with email ${email} exists`, 'email');
        }
        throw error;
      }
    },

    async byId(id: string): Promise<User | null> {
      const [row] = await deps.db.select(columns).from(users).where(eq(users.id, id));
      return row ?? null;
    },

    async byEmail(email: string, db: Executor = deps.db): Promise<User | null> {
      const row = await byEmail(email, db);
      return row ? { id: row.id, email: row.email, name: row.name } : null;
    },

    async count(): Promise<number> {
      const [row] = await deps.db.select({ n: sql<number>`count(*)::int` }).from(users);
      return row?.n ?? 0;
    },

    /** The user when the password is theirs; null otherwise (in about the same time either way). */
    async verifyCredentials(email: string, password: string): Promise<User | null> {
      const row = await byEmail(email);
      if (!row) return verifyNobody(password).then(() => null);
      if (!(await verifyPassword(row.passwordHash, password))) return null;
      return { id: row.id, email: row.email, name: row.name };
    },

    /** Changes a password after checking the current one (the caller then rotates sessions). */
    async changePassword(userId: string, current: unknown, next: unknown): Promise<void> {
      const [row] = await deps.db
        .select({ passwordHash: users.passwordHash })
        .from(users)
        .where(eq(users.id, userId));
      if (!row) throw new ServiceError('user_not_found', 'no such user');
      const currentValue = typeof current === 'string' ? current : '';
      if (!(await verifyPassword(row.passwordHash, currentValue))) {
        throw new ServiceError(
          'current_password_wrong',
          'the current password is wrong',
          'current',
        );
      }
      const nextValue = checkPassword(next, 'password');
      if (nextValue === currentValue) {
        throw new ServiceError(
          'password_unchanged',
          'the new password is the same as the current one',
          'password',
        );
      }
      await setPassword(userId, nextValue);
    },

    /** Sets a password without the current one (the operator's CLI). */
    setPassword,
  };
}

export type UsersService = ReturnType<typeof createUsers>;
