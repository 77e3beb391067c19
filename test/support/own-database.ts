/**
 * A database of a test file's own, on the same server as the shared test database, migrated.
 * For tests whose subject sweeps the whole database (the outbox dispatcher drains every
 * brand's events): sharing one with concurrently running files would let them take each
 * other's events.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { runMigrations } from '../../db/migrate';

export async function ownDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const shared = new URL(inject('databaseUrl'));
  const name = `${shared.pathname.slice(1)}_own_${randomBytes(4).toString('hex')}`;
  const admin = postgres(shared.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(shared);
  url.pathname = `/${name}`;
  await runMigrations(url.toString());
  return {
    url: url.toString(),
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 2 });
    },
  };
}
