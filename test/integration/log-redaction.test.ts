/**
 * Failed queries on a real PostgreSQL, logged the way the processes log them (`err`, and
 * `error` as Temporal's worker does): each line has the SQLSTATE and where it failed, and none
 * of the values — a follower's message text, profile fields, an openid in a key.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger, safeError } from '../../config/logger';
import { connect, type DbHandle } from '../../db/client';
import { brands, followers } from '../../db/schema';

let handle: DbHandle;
beforeAll(() => {
  handle = connect(inject('databaseUrl'), { max: 2 });
});
afterAll(() => handle?.close());

/** A logger writing into memory; returns the lines written by `fn`. */
async function logged(fn: (logger: ReturnType<typeof createLogger>) => void): Promise<string[]> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  fn(createLogger('test', 'info', sink));
  await new Promise((resolve) => setImmediate(resolve));
  return lines;
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('the query was expected to fail');
    },
    (error: unknown) => error,
  );

describe('a failed query in the log', () => {
  it.each([
    {
      what: 'a foreign key violation carrying profile fields',
      code: '23503',
      secrets: ['SecretCity-9876', '13800138000', 'o_secret_openid'],
      run: () =>
        handle.db.insert(followers).values({
          brandId: randomUUID(),
          openid: 'o_secret_openid',
          city: 'SecretCity-9876',
          phone: '13800138000',
        }),
      where: { table_name: 'followers', constraint_name: 'followers_brand_id_brands_id_fk' },
    },
    {
      what: "a follower's message text PostgreSQL quotes back",
      code: '22P02',
      secrets: ['在吗 secret text 42'],
      run: () => handle.db.execute(sql`select ${'在吗 secret text 42'}::int`),
      where: { routine: expect.any(String) },
    },
    {
      what: 'a unique violation whose detail names the key',
      code: '23505',
      secrets: ['dupe-slug-secret'],
      run: async () => {
        const row = {
          slug: 'dupe-slug-secret',
          name: 'n',
          appId: 'wx',
          appSecretEnc: 'x',
          callbackTokenEnc: 'y',
        };
        await handle.db.insert(brands).values(row).onConflictDoNothing();
        await handle.db.insert(brands).values(row);
      },
      where: { constraint_name: 'brands_slug_unique' },
    },
  ])('$what: the code, not the values', async ({ code, secrets, run, where }) => {
    const error = await failure(run());
    // The raw error does carry the values (what used to reach the log).
    expect(JSON.stringify({ m: (error as Error).message, ...(error as object) })).toContain(
      secrets[0],
    );

    const lines = await logged((logger) => {
      logger.error({ err: error, code: 'E_QUERY' }, 'query failed');
      logger.warn({ error }, 'Activity failed'); // Temporal's worker, through the runtime logger
      logger.error(error as Error);
    });
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line).toContain(`"code":"${code}"`);
      for (const secret of secrets) expect(line).not.toContain(secret);
    }
    const entry = JSON.parse(lines[0]!) as {
      err: { type: string; cause: Record<string, unknown> };
    };
    expect(entry.err.type).toBe('DrizzleQueryError');
    expect(entry.err.cause).toMatchObject({ code, ...where });
  });

  it('masks a message that is only a string', () => {
    expect(safeError('Failed query: select $1\nparams: my secret')).toBe('Failed query: select $1');
  });
});
