/**
 * Password hashing with argon2id (@node-rs/argon2) at OWASP's recommended minimum
 * (19 MiB, 2 passes, 1 lane). The PHC string keeps its parameters and salt, so a later
 * change of parameters still verifies old hashes.
 */
import { hash, verify, type Algorithm } from '@node-rs/argon2';

/** Argon2id (the package's enum is a `const enum`, which isolatedModules cannot import). */
const ARGON2ID = 2 as Algorithm;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

export type PasswordProblem = 'password_too_short' | 'password_too_long';

/** Length is the rule (NIST SP 800-63B): no composition rules, any characters, spaces kept. */
export function passwordProblem(password: string): PasswordProblem | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return 'password_too_short';
  if (length > PASSWORD_MAX) return 'password_too_long';
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** False for a wrong password and for a stored value that is not an argon2 hash. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;

/**
 * Spends the time a real verification would when there is no such user, so response times
 * do not tell which emails have accounts.
 */
export async function verifyNobody(password: string): Promise<false> {
  dummy ??= hashPassword('not a password of anyone');
  await verifyPassword(await dummy, password);
  return false;
}
