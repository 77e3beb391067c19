import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { handleEventsApi } from '../../app/lib/events-api.server';
import { createApiKey } from '../../services/api-keys/store';
import { connect, type DbHandle } from '../../db/client';
import { brands, events, followers } from '../../db/schema';

let handle: DbHandle;
let brandA: { id: string; slug: string };
let brandB: { id: string; slug: string };
let keyA: string;
let keyB: string;

async function makeBrand(): Promise<{ id: string; slug: string }> {
  const slug = `api-${randomUUID().slice(0, 8)}`;
  const [row] = await handle.db
    .insert(brands)
    .values({
      slug,
      name: slug,
      appId: 'wx00000000000000aa',
      appSecretEnc: 'x',
      callbackTokenEnc: 'x',
    })
    .returning({ id: brands.id, slug: brands.slug });
  return row!;
}

function post(slug: string, body: unknown, key?: string) {
  const request = new Request(`http://test/api/v1/brands/${slug}/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return handleEventsApi(handle.db, slug, request);
}

const follower = async (brandId: string, openid: string) =>
  (await handle.db.select().from(followers).where(eq(followers.openid, openid))).find(
    (f) => f.brandId === brandId,
  );

beforeAll(async () => {
  handle = connect(inject('databaseUrl'), { max: 4 });
  brandA = await makeBrand();
  brandB = await makeBrand();
  keyA = (await createApiKey(handle.db, brandA.id, 'test')).key;
  keyB = (await createApiKey(handle.db, brandB.id, 'test')).key;
  return () => handle.close();
});

describe('events API', () => {
  it('records a purchase once and updates the follower once, however often it is replayed', async () => {
    const body = {
      type: 'purchase',
      openid: 'o_cat_lover',
      orderId: `order-${randomUUID()}`,
      amount: 129.9,
      items: [{ sku: 'CATFOOD-2KG', category: 'cat-food' }],
      occurredAt: '2026-11-01T10:00:00+08:00',
    };
    const first = await post(brandA.slug, body, keyA);
    expect(first.status).toBe(202);
    const replies = await Promise.all([1, 2, 3].map(() => post(brandA.slug, body, keyA)));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
    const { eventId } = (await first.json()) as { eventId: string };
    for (const r of replies)
      expect(((await r.json()) as { eventId: string }).eventId).toBe(eventId);

    const f = await follower(brandA.id, 'o_cat_lover');
    expect(f?.orderCount).toBe(1);
    expect(f?.totalSpent).toBe('129.90');
    expect(f?.lastPurchaseAt?.toISOString()).toBe('2026-11-01T02:00:00.000Z');
    const stored = await handle.db
      .select()
      .from(events)
      .where(eq(events.dedupeKey, `purchase:${body.orderId}`));
    expect(stored).toHaveLength(1);
    expect(stored[0]!.dispatchedAt).toBeNull();
    expect(stored[0]!.payload).toMatchObject({
      orderId: body.orderId,
      amount: 129.9,
      currency: 'CNY',
    });
  });

  it('applies profile updates, merging attributes', async () => {
    expect(
      (
        await post(
          brandA.slug,
          {
            type: 'profile',
            openid: 'o_p',
            birthday: '03-14',
            gender: 'female',
            attributes: { pet: 'cat', size: 'L' },
          },
          keyA,
        )
      ).status,
    ).toBe(202);
    expect(
      (
        await post(
          brandA.slug,
          { type: 'profile', openid: 'o_p', city: '上海', attributes: { size: null } },
          keyA,
        )
      ).status,
    ).toBe(202);
    const f = await follower(brandA.id, 'o_p');
    expect(f).toMatchObject({
      birthday: '03-14',
      gender: 'female',
      city: '上海',
      attributes: { pet: 'cat' },
    });
  });

  it('a replayed order id with another amount is 409 with both amounts, changing nothing', async () => {
    const order = {
      type: 'purchase',
      openid: 'o_twice',
      orderId: `order-${randomUUID()}`,
      amount: 50,
    };
    expect((await post(brandA.slug, order, keyA)).status).toBe(202);
    const before = await follower(brandA.id, 'o_twice');
    const conflict = await post(brandA.slug, { ...order, amount: 500 }, keyA);
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({
      ok: false,
      error: { code: 'E_ORDER_CONFLICT', storedAmount: '50.00 CNY', sentAmount: '500.00 CNY' },
    });
    expect((await post(brandA.slug, order, keyA)).status).toBe(200);
    expect(await follower(brandA.id, 'o_twice')).toEqual(before);
  });

  it('stores custom events under the caller id', async () => {
    const body = {
      type: 'custom',
      openid: 'o_c',
      name: 'store.visit',
      id: 'visit-1',
      properties: { store: 'SH-01' },
    };
    expect((await post(brandA.slug, body, keyA)).status).toBe(202);
    expect((await post(brandA.slug, body, keyA)).status).toBe(200);
  });

  it('answers 401 without a key or with a bad one, 403 with another brand key, storing nothing', async () => {
    const before = await handle.db.$count(events);
    const body = { type: 'custom', openid: 'o_x', name: 'x' };
    const none = await post(brandA.slug, body);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ ok: false, error: { code: 'E_AUTH' } });
    expect((await post(brandA.slug, body, 'ff_not-a-key')).status).toBe(401);
    const other = await post(brandA.slug, body, keyB);
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({ error: { code: 'E_FORBIDDEN' } });
    expect(await handle.db.$count(events)).toBe(before);
  });

  it('rejects bad bodies with a code, a sentence and the path', async () => {
    const before = await handle.db.$count(events);
    const cases: Array<[unknown, string, string?]> = [
      ['{not json', 'E_JSON'],
      [{ type: 'purchase', openid: 'o', orderId: 'x', amount: -1 }, 'E_INPUT', 'amount'],
      [{ type: 'profile', openid: 'o', birthday: '1990-03-14' }, 'E_INPUT', 'birthday'],
      [{ type: 'custom', openid: 'o', name: 'x', surprise: true }, 'E_INPUT'],
      [{ type: 'teleport', openid: 'o' }, 'E_INPUT', 'type'],
      ['x'.repeat(70 * 1024), 'E_TOO_LARGE'],
      // Issue 14, items 5 and 13: what the database cannot store, and dates that do not exist.
      [{ type: 'profile', openid: 'o', birthday: '02-31' }, 'E_INPUT', 'birthday'],
      [{ type: 'profile', openid: 'o\u0000' }, 'E_INPUT', 'openid'],
      [
        { type: 'custom', openid: 'o', name: 'x', properties: { a: '\uD800' } },
        'E_INPUT',
        'properties.a',
      ],
      [
        {
          type: 'purchase',
          openid: 'o',
          orderId: 'y',
          amount: 1,
          occurredAt: '0000-01-01T00:00:00Z',
        },
        'E_INPUT',
        'occurredAt',
      ],
    ];
    for (const [body, code, path] of cases) {
      const response = await post(brandA.slug, body, keyA);
      const json = (await response.json()) as {
        error: { code: string; message: string; path?: string };
      };
      expect(json.error.code, JSON.stringify(body).slice(0, 80)).toBe(code);
      expect(json.error.message.length).toBeGreaterThan(5);
      if (path) expect(json.error.path).toBe(path);
    }
    expect(await handle.db.$count(events)).toBe(before);
  });
});

describe('fanfare apikey / coupon-pool', () => {
  const run = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: inject('databaseUrl') },
    });

  it('creates a key that the events API accepts', async () => {
    const created = run(['apikey', 'create', '--brand', brandB.slug, '--name', 'pos']);
    expect(created.status).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^ff_/);
    expect(
      (await post(brandB.slug, { type: 'custom', openid: 'o', name: 'ping' }, key)).status,
    ).toBe(202);
    expect(run(['apikey', 'create', '--brand', 'no-such-brand']).stderr).toContain(
      'error E_UNKNOWN_BRAND',
    );
  });

  it('creates pools from generated codes and from a CSV, refusing a second pool of the same name', async () => {
    const generated = run([
      'coupon-pool',
      'create',
      '--brand',
      brandB.slug,
      '--name',
      'welcome',
      '--generate',
      '2500',
    ]);
    expect(generated.stderr).not.toContain('error');
    expect(generated.stdout).toContain('2500 codes available');
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const dir = mkdtempSync('/tmp/fanfare-codes-');
    writeFileSync(`${dir}/codes.csv`, 'code\nAAA111\nBBB222\nAAA111\n');
    const imported = run([
      'coupon-pool',
      'create',
      '--brand',
      brandB.slug,
      '--name',
      'vip',
      '--codes-file',
      `${dir}/codes.csv`,
    ]);
    expect(imported.stdout).toContain('2 codes available');
    expect(imported.stdout).toContain('1 duplicate');
    const again = run([
      'coupon-pool',
      'create',
      '--brand',
      brandB.slug,
      '--name',
      'vip',
      '--generate',
      '5',
    ]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('error E_EXISTS');
    writeFileSync(`${dir}/bad.csv`, 'ok-code\nnot a code!\n');
    const bad = run([
      'coupon-pool',
      'create',
      '--brand',
      brandB.slug,
      '--name',
      'bad',
      '--codes-file',
      `${dir}/bad.csv`,
    ]);
    expect(bad.stderr).toContain('error E_INPUT');
  });
});
