/**
 * Test databases, each created fresh and migrated on a real PostgreSQL server (the global
 * setup's shared one; `own-database.ts` for a file's own). No vitest import: the global setup
 * runs outside the test runner's state.
 */
import postgres from 'postgres';
import { runMigrations } from '../../db/migrate';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Creates database `name` on the server `serverUrl` points at, and migrates it. */
export async function createDatabase(serverUrl: string, name: string): Promise<TestDatabase> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
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
