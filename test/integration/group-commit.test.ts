/**
 * db/group-commit.ts on a real PostgreSQL: units that arrive together share a transaction,
 * each settles only after its batch committed, a failing unit is undone alone, and a batch
 * whose connection fails rejects every unit and stores none of them.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, isDatabaseUnavailable, type DbHandle } from '../../db/client';
import { createGroupCommit } from '../../db/group-commit';

let handle: DbHandle;
let other: DbHandle;
const table = `group_commit_${process.pid}`;

beforeAll(async () => {
  handle = connect(inject('databaseUrl'), { max: 4 });
  other = connect(inject('databaseUrl'), { max: 1 });
  await handle.db.execute(
    sql.raw(`create table ${table} (k text primary key, v text not null check (v <> 'bad'))`),
  );
});
afterAll(async () => {
  await handle.db.execute(sql.raw(`drop table if exists ${table}`));
  await handle.close();
  await other.close();
});

const insert = (k: string, v: string) =>
  sql.raw(`insert into ${table} (k, v) values ('${k}', '${v}') returning txid_current() as tx`);
const stored = async (k: string) =>
  (await other.db.execute(sql.raw(`select v from ${table} where k = '${k}'`))).length;

describe('group commit', () => {
  it('batches units that arrive together, and each is stored when its promise settles', async () => {
    const group = createGroupCommit(handle.db, { maxBatch: 50, maxConcurrent: 1 });
    const keys = Array.from({ length: 40 }, (_, i) => `batch-${String(i).padStart(2, '0')}`);
    const txids = await Promise.all(
      keys.map((k) =>
        group.run(k, async (tx) => {
          const [row] = await tx.execute<{ tx: string }>(insert(k, 'ok'));
          // Settled ⇒ committed: another connection sees it the moment the promise resolves.
          return row!.tx;
        }),
      ),
    );
    for (const k of keys) expect(await stored(k)).toBe(1);
    // One slot: the first unit commits alone, the other 39 wait and go together.
    const transactions = new Set(txids);
    expect(transactions.size).toBeLessThanOrEqual(2);
    expect(transactions.size).toBeLessThan(keys.length);
  });

  it('units of one key run in their order, each seeing what the one before wrote', async () => {
    const group = createGroupCommit(handle.db, { maxBatch: 50, maxConcurrent: 1 });
    const first = group.run('hold', (tx) => tx.execute(sql`select pg_sleep(0.1)`));
    const seen = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        group.run('same-follower', async (tx) => {
          const before = await tx.execute(sql.raw(`select k from ${table} where k like 'seq-%'`));
          await tx.execute(insert(`seq-${n}`, 'ok'));
          return before.length;
        }),
      ),
    );
    await first;
    expect(seen).toEqual([0, 1, 2, 3]);
  });

  it('a unit that fails is undone alone; the rest of its batch commits', async () => {
    const group = createGroupCommit(handle.db, { maxBatch: 50, maxConcurrent: 1 });
    const results = await Promise.allSettled(
      ['mixed-a', 'mixed-b', 'mixed-c'].map((k) =>
        group.run(k, async (tx) => {
          await tx.execute(insert(k, 'ok'));
          // b breaks a check after writing: its own row goes too.
          if (k === 'mixed-b') await tx.execute(insert(`${k}-2`, 'bad'));
          return k;
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await stored('mixed-a')).toBe(1);
    expect(await stored('mixed-b')).toBe(0);
    expect(await stored('mixed-c')).toBe(1);
  });

  it('when the database goes away mid-batch, every unit rejects and none is stored', async () => {
    const doomed = connect(inject('databaseUrl'), { max: 1 });
    const group = createGroupCommit(doomed.db, { maxBatch: 50, maxConcurrent: 1 });
    // Holds the only slot a moment, so that the three below share the next batch.
    const first = group.run('gone-0', (tx) => tx.execute(sql`select pg_sleep(0.2)`));
    const results = await Promise.allSettled(
      ['gone-a', 'gone-b', 'gone-c'].map((k) =>
        group.run(k, async (tx) => {
          await tx.execute(insert(k, 'ok'));
          // The server drops this connection (as a restart would) before the batch commits.
          if (k === 'gone-c') {
            const [me] = await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
            await other.db.execute(sql`select pg_terminate_backend(${me!.pid})`);
            await tx.execute(sql`select 1`);
          }
          return k;
        }),
      ),
    );
    await first;
    await doomed.sql.end({ timeout: 0 });
    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect(isDatabaseUnavailable((r as PromiseRejectedResult).reason)).toBe(true);
    }
    for (const k of ['gone-a', 'gone-b', 'gone-c']) expect(await stored(k)).toBe(0);
  });
});
