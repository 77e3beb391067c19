/**
 * The driver must not take the process down when a connection held by a transaction dies.
 *
 * postgres.js 3.4.9 writes small messages on the next tick; when the server has closed the
 * connection meanwhile, that write threw from setImmediate, where no caller can catch it (the
 * web process would exit on a database restart). patches/postgres+3.4.9.patch settles the
 * waiting query with CONNECTION_CLOSED instead (docs/decisions/006-postgres-driver-patch.md).
 */
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { connect, isDatabaseUnavailable, type DbHandle } from '../../db/client';

let other: DbHandle;
const uncaught: unknown[] = [];
const onUncaught = (error: unknown) => uncaught.push(error);

beforeAll(() => {
  other = connect(inject('databaseUrl'), { max: 1 });
  process.on('uncaughtException', onUncaught);
});
afterAll(async () => {
  process.off('uncaughtException', onUncaught);
  await other.close();
});

it('a query on a reserved connection the server closed rejects, and nothing escapes', async () => {
  const client = postgres(inject('databaseUrl'), { max: 1, onnotice: () => {} });
  const reserved = await client.reserve();
  const [me] = await reserved<{ pid: number }[]>`select pg_backend_pid() as pid`;
  await other.db.execute(sql`select pg_terminate_backend(${me!.pid})`);
  // Let the close reach the client first: the write below is then scheduled on a closed socket.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const outcome = await reserved`select 1`.then(
    () => 'resolved',
    (error: unknown) => error,
  );
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setTimeout(resolve, 50));
  reserved.release();
  await client.end({ timeout: 0 });
  expect(uncaught).toEqual([]);
  expect(outcome).not.toBe('resolved');
  expect(isDatabaseUnavailable(outcome)).toBe(true);
}, 15_000);
