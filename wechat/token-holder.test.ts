import { describe, expect, it } from 'vitest';
import { MemoryTokenStore, type TokenFetcher, TokenHolder } from './token-holder';

function fakeWechat(expiresIn = 7200) {
  const calls: boolean[] = [];
  let n = 0;
  const fetchToken: TokenFetcher = async ({ forceRefresh }) => {
    calls.push(forceRefresh);
    await new Promise((r) => setTimeout(r, 5));
    return { access_token: `token-${++n}`, expires_in: expiresIn };
  };
  return { calls, fetchToken };
}

describe('TokenHolder', () => {
  it('fetches once for concurrent callers (single-flight)', async () => {
    const wx = fakeWechat();
    const holder = new TokenHolder({
      brandId: 'b',
      store: new MemoryTokenStore(),
      fetchToken: wx.fetchToken,
    });
    const tokens = await Promise.all(Array.from({ length: 10 }, () => holder.getToken()));
    expect(new Set(tokens)).toEqual(new Set(['token-1']));
    expect(wx.calls).toEqual([false]);
  });

  it('refreshes 300 s before expiry, not earlier', async () => {
    const wx = fakeWechat(7200);
    let now = 1_000_000;
    const holder = new TokenHolder({
      brandId: 'b',
      store: new MemoryTokenStore(),
      fetchToken: wx.fetchToken,
      now: () => now,
    });
    expect(await holder.getToken()).toBe('token-1');
    now += (7200 - 301) * 1000;
    expect(await holder.getToken()).toBe('token-1');
    now += 2000;
    expect(await holder.getToken()).toBe('token-2');
    expect(wx.calls).toEqual([false, false]);
  });

  it('invalidate forces a refresh once, however many callers report the same token', async () => {
    const wx = fakeWechat();
    const holder = new TokenHolder({
      brandId: 'b',
      store: new MemoryTokenStore(),
      fetchToken: wx.fetchToken,
    });
    const bad = await holder.getToken();
    await Promise.all([holder.invalidate(bad), holder.invalidate(bad), holder.invalidate(bad)]);
    expect(await holder.getToken()).toBe('token-2');
    expect(wx.calls).toEqual([false, true]);
    await holder.invalidate(bad); // stale report: no new refresh
    expect(wx.calls).toEqual([false, true]);
  });

  it('shares the stored token between holders (processes) and does not refetch it', async () => {
    const wx = fakeWechat();
    const store = new MemoryTokenStore();
    const a = new TokenHolder({ brandId: 'b', store, fetchToken: wx.fetchToken });
    const b = new TokenHolder({ brandId: 'b', store, fetchToken: wx.fetchToken });
    const [ta, tb] = await Promise.all([a.getToken(), b.getToken()]);
    expect(ta).toBe(tb);
    expect(wx.calls).toEqual([false]);
    // a refreshes after a rejection; b, reporting the same token, picks up a's new one
    await a.invalidate(ta);
    await b.invalidate(ta);
    expect(await b.getToken()).toBe('token-2');
    expect(wx.calls).toEqual([false, true]);
  });

  it('propagates a fetch failure and recovers on the next call', async () => {
    let fail = true;
    const holder = new TokenHolder({
      brandId: 'b',
      store: new MemoryTokenStore(),
      fetchToken: async () => {
        if (fail) throw new Error('wechat down');
        return { access_token: 'ok', expires_in: 7200 };
      },
    });
    await expect(holder.getToken()).rejects.toThrow('wechat down');
    fail = false;
    expect(await holder.getToken()).toBe('ok');
  });
});
