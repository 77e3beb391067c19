/**
 * A database of a test file's own, beside the shared test database, for subjects that sweep
 * the whole database (the outbox dispatcher drains every brand's events: files sharing one
 * would take each other's events).
 */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createDatabase, type TestDatabase } from './databases';

export function ownDatabase(): Promise<TestDatabase> {
  const shared = inject('databaseUrl');
  const name = `${new URL(shared).pathname.slice(1)}_own_${randomBytes(4).toString('hex')}`;
  return createDatabase(shared, name);
}
