import { randomBytes, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, type DbHandle } from '../../db/client';
import { brands, wechatTokens } from '../../db/schema';
import { SecretBox } from '../../services/secrets';
import { PgWechatTokenStore } from '../../services/wechat/token-store';
import { type TokenFetcher, TokenHolder } from '../../wechat/token-holder';

// two handles = two processes: separate pools, so only the advisory lock serialises them
let one: DbHandle;
let two: DbHandle;
const box = new SecretBox(randomBytes(32).toString('hex'));
const cipher = { encrypt: (s: string) => box.seal(s), decrypt: (s: string) => box.open(s) };

async function makeBrand(): Promise<string> {
  const slug = `tok-${randomUUID().slice(0, 8)}`;
  const [row] = await one.db
    .insert(brands)
    .values({
      slug,
      name: slug,
      appId: 'wx00000000000000aa',
      appSecretEnc: 'x',
      callbackTokenEnc: 'x',
    })
    .returning({ id: brands.id });
  return row!.id;
}

function fakeWechat() {
  const calls: boolean[] = [];
  const fetchToken: TokenFetcher = async ({ forceRefresh }) => {
    calls.push(forceRefresh);
    await new Promise((r) => setTimeout(r, 50));
    return { access_token: `token-${calls.length}`, expires_in: 7200 };
  };
  return { calls, fetchToken };
}

beforeAll(() => {
  const url = inject('databaseUrl');
  one = connect(url, { max: 3 });
  two = connect(url, { max: 3 });
});
afterAll(async () => {
  await one.close();
  await two.close();
});

describe('PgWechatTokenStore', () => {
  it('stores the token encrypted and reads it back', async () => {
    const brandId = await makeBrand();
    const store = new PgWechatTokenStore(one.db, cipher);
    expect(await store.read(brandId)).toBeNull();
    const expiresAt = new Date(Date.now() + 7200_000);
    await store.write(brandId, 'secret-token', expiresAt);
    await store.write(brandId, 'secret-token-2', expiresAt); // upsert
    expect(await store.read(brandId)).toEqual({ token: 'secret-token-2', expiresAt });
    const [row] = await one.db.select().from(wechatTokens).where(eq(wechatTokens.brandId, brandId));
    expect(row!.accessTokenEnc).not.toContain('secret-token');
  });

  it('withLock serialises two connections on the same brand, not on different brands', async () => {
    const [a, b] = [await makeBrand(), await makeBrand()];
    const s1 = new PgWechatTokenStore(one.db, cipher);
    const s2 = new PgWechatTokenStore(two.db, cipher);
    const order: string[] = [];
    const hold = (s: PgWechatTokenStore, brand: string, name: string, ms: number) =>
      s.withLock(brand, async () => {
        order.push(`${name}:in`);
        await new Promise((r) => setTimeout(r, ms));
        order.push(`${name}:out`);
      });
    const first = hold(s1, a, 'first', 200);
    await new Promise((r) => setTimeout(r, 50));
    await Promise.all([first, hold(s2, a, 'second', 0), hold(s2, b, 'other', 0)]);
    expect(order.indexOf('second:in')).toBeGreaterThan(order.indexOf('first:out'));
    expect(order.indexOf('other:in')).toBeLessThan(order.indexOf('first:out'));
  });

  it('two holders in two "processes" fetch one token between them', async () => {
    const brandId = await makeBrand();
    const wx = fakeWechat();
    const h1 = new TokenHolder({
      brandId,
      store: new PgWechatTokenStore(one.db, cipher),
      fetchToken: wx.fetchToken,
    });
    const h2 = new TokenHolder({
      brandId,
      store: new PgWechatTokenStore(two.db, cipher),
      fetchToken: wx.fetchToken,
    });
    const tokens = await Promise.all([h1.getToken(), h2.getToken(), h1.getToken(), h2.getToken()]);
    expect(new Set(tokens)).toEqual(new Set(['token-1']));
    expect(wx.calls).toEqual([false]);

    // both see WeChat reject token-1: one force refresh, the other reads its result
    await Promise.all([h1.invalidate('token-1'), h2.invalidate('token-1')]);
    expect(await h1.getToken()).toBe('token-2');
    expect(await h2.getToken()).toBe('token-2');
    expect(wx.calls).toEqual([false, true]);
  });

  it('rolls back and releases the lock when the refresh fails', async () => {
    const brandId = await makeBrand();
    const store = new PgWechatTokenStore(one.db, cipher);
    await expect(
      store.withLock(brandId, async (locked) => {
        await locked.write(brandId, 'half-done', new Date(Date.now() + 1000));
        throw new Error('wechat down');
      }),
    ).rejects.toThrow('wechat down');
    expect(await store.read(brandId)).toBeNull();
    const other = new PgWechatTokenStore(two.db, cipher);
    await expect(other.withLock(brandId, async () => 'free')).resolves.toBe('free');
  });
});
