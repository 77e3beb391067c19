import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../config/logger';
import { connect, type DbHandle } from '../../db/client';
import { recordEvent } from '../../services/events/outbox';
import { brands, events } from '../../db/schema';
import { startDispatcher, type StoredEvent } from '../../workflows/dispatch/dispatcher';
import { ownDatabase } from '../support/own-database';

let handle: DbHandle;
let database: Awaited<ReturnType<typeof ownDatabase>>;
let brandId: string;
const logger = createLogger('test', 'silent');

beforeAll(async () => {
  // The dispatcher drains every brand's events: it gets a database of its own.
  database = await ownDatabase();
  handle = connect(database.url, { max: 4 });
  const [row] = await handle.db
    .insert(brands)
    .values({
      slug: `disp-${randomUUID().slice(0, 8)}`,
      name: 'd',
      appId: 'wx00000000000000dd',
      appSecretEnc: 'x',
      callbackTokenEnc: 'x',
    })
    .returning({ id: brands.id });
  brandId = row!.id;
});
afterAll(async () => {
  await handle?.close();
  await database?.drop();
});

const pending = async () =>
  (
    await handle.db
      .select()
      .from(events)
      .where(sql`${events.brandId} = ${brandId} and ${events.dispatchedAt} is null`)
  ).length;

it('is woken by NOTIFY, keeps events while the router fails, and routes each once after', async () => {
  const routed: StoredEvent[] = [];
  let down = true;
  const dispatcher = await startDispatcher({
    db: handle,
    logger,
    pollMs: 60_000, // only NOTIFY or the backoff can make it drain in time
    maxBackoffMs: 300,
    route: async (event) => {
      if (event.brandId !== brandId) return;
      if (down) throw new Error('Temporal is down');
      routed.push(event);
    },
  });
  try {
    for (let i = 0; i < 5; i++) {
      await recordEvent(handle.db, {
        brandId,
        type: 'custom',
        name: 'n',
        dedupeKey: `k${i}`,
        payload: { i },
      });
    }
    await new Promise((r) => setTimeout(r, 800));
    expect(routed).toHaveLength(0);
    expect(await pending()).toBe(5);

    down = false;
    await expect.poll(pending, { timeout: 5_000, interval: 50 }).toBe(0);
    expect(routed.map((e) => e.dedupeKey)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4']);

    // While healthy, a new event is dispatched at once through LISTEN/NOTIFY (poll is 60 s).
    await recordEvent(handle.db, {
      brandId,
      type: 'custom',
      name: 'n',
      dedupeKey: 'late',
      payload: {},
    });
    await expect.poll(() => routed.length, { timeout: 5_000, interval: 20 }).toBe(6);
  } finally {
    await dispatcher.stop();
  }
  expect(new Set(routed.map((e) => e.dedupeKey)).size).toBe(routed.length);
});

it('keeps what a batch routed before it failed part-way: no event is routed twice', async () => {
  for (let i = 0; i < 5; i++) {
    await recordEvent(handle.db, {
      brandId,
      type: 'custom',
      name: 'n',
      dedupeKey: `part${i}`,
      payload: { i },
    });
  }
  const routed: string[] = [];
  let failOnce = true;
  const dispatcher = await startDispatcher({
    db: handle,
    logger,
    maxBackoffMs: 300,
    route: async (event) => {
      if (event.brandId !== brandId) return;
      // Temporal goes away in the middle of the batch, after two events were handed over.
      if (event.dedupeKey === 'part2' && failOnce) {
        failOnce = false;
        throw new Error('Temporal is down');
      }
      routed.push(event.dedupeKey);
    },
  });
  try {
    await expect.poll(pending, { timeout: 5_000, interval: 50 }).toBe(0);
  } finally {
    await dispatcher.stop();
  }
  expect(failOnce).toBe(false);
  expect(routed).toEqual(['part0', 'part1', 'part2', 'part3', 'part4']);
});
