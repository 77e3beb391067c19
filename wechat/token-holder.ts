/**
 * One access token per account (docs/wechat.md#access-token): kept in a shared store, refreshed
 * under the store's lock `refreshMarginSeconds` (300) before expiry, and with force_refresh
 * when WeChat rejects it. Concurrent callers in this process share one refresh (single-flight);
 * other processes wait on the store's lock and then read what the winner wrote.
 */
import type { TokenProvider } from './client';

export interface StoredToken {
  token: string;
  expiresAt: Date;
}

export interface TokenStore {
  /**
   * Runs `fn` holding the account's lock; `fn` receives the store bound to the locked scope
   * (e.g. the transaction holding a Postgres advisory lock) and must use it.
   */
  withLock<T>(brandId: string, fn: (locked: TokenStore) => Promise<T>): Promise<T>;
  read(brandId: string): Promise<StoredToken | null>;
  write(brandId: string, token: string, expiresAt: Date): Promise<void>;
}

/** Fetches a token from WeChat, e.g. `fetchStableToken` bound to the account's credentials. */
export type TokenFetcher = (options: {
  forceRefresh: boolean;
}) => Promise<{ access_token: string; expires_in: number }>;

export interface TokenHolderOptions {
  brandId: string;
  store: TokenStore;
  fetchToken: TokenFetcher;
  now?: () => number;
  refreshMarginSeconds?: number;
}

export class TokenHolder implements TokenProvider {
  private cached: StoredToken | null = null;
  private inflight: Promise<string> | null = null;
  /** Tokens WeChat rejected: never handed out again by this holder. */
  private readonly rejected = new Set<string>();

  constructor(private readonly options: TokenHolderOptions) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private usable(t: StoredToken | null): t is StoredToken {
    const margin = (this.options.refreshMarginSeconds ?? 300) * 1000;
    return t !== null && !this.rejected.has(t.token) && t.expiresAt.getTime() - margin > this.now();
  }

  async getToken(): Promise<string> {
    if (this.usable(this.cached)) return this.cached.token;
    return this.refresh(false);
  }

  async invalidate(token: string): Promise<void> {
    if (this.inflight) await this.inflight.catch(() => undefined);
    if (this.rejected.has(token) && this.cached?.token !== token) return; // already replaced
    this.rejected.add(token);
    if (this.rejected.size > 16) this.rejected.delete(this.rejected.values().next().value!);
    await this.refresh(true);
  }

  private refresh(force: boolean): Promise<string> {
    if (this.inflight) return this.inflight;
    const run = this.options.store
      .withLock(this.options.brandId, async (locked) => {
        const stored = await locked.read(this.options.brandId);
        // another process may have refreshed while we waited for the lock
        if (this.usable(stored)) return stored;
        const res = await this.options.fetchToken({ forceRefresh: force });
        const fresh = {
          token: res.access_token,
          expiresAt: new Date(this.now() + res.expires_in * 1000),
        };
        await locked.write(this.options.brandId, fresh.token, fresh.expiresAt);
        return fresh;
      })
      .then((t) => {
        this.cached = t;
        return t.token;
      })
      .finally(() => {
        this.inflight = null;
      });
    this.inflight = run;
    return run;
  }
}

/** An in-process TokenStore (tests, single-process tools): a promise-chain lock per brand. */
export class MemoryTokenStore implements TokenStore {
  private readonly rows = new Map<string, StoredToken>();
  private readonly locks = new Map<string, Promise<unknown>>();

  async withLock<T>(brandId: string, fn: (locked: TokenStore) => Promise<T>): Promise<T> {
    const previous = this.locks.get(brandId) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => fn(this));
    this.locks.set(brandId, run);
    try {
      return await run;
    } finally {
      if (this.locks.get(brandId) === run) this.locks.delete(brandId);
    }
  }

  async read(brandId: string): Promise<StoredToken | null> {
    return this.rows.get(brandId) ?? null;
  }

  async write(brandId: string, token: string, expiresAt: Date): Promise<void> {
    this.rows.set(brandId, { token, expiresAt });
  }
}
