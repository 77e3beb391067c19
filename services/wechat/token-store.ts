/**
 * Postgres TokenStore: one `wechat_tokens` row per brand, the token stored encrypted, and
 * refreshes serialised across processes by a transaction-scoped advisory lock on the brand.
 */
import { eq, sql } from 'drizzle-orm';
import type { StoredToken, TokenStore } from '../../wechat/token-holder';
import type { Db } from '../../db/client';
import { wechatTokens } from '../../db/schema';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
type Executor = Db | Tx;

export interface TokenCipher {
  encrypt(plain: string): string | Promise<string>;
  decrypt(encrypted: string): string | Promise<string>;
}

/** Namespaces the advisory lock key so it cannot collide with other users of advisory locks. */
const LOCK_NAMESPACE = 'fanfare.wechat_token:';

export class PgWechatTokenStore implements TokenStore {
  constructor(
    private readonly db: Db,
    private readonly cipher: TokenCipher,
    private readonly executor: Executor = db,
  ) {}

  withLock<T>(brandId: string, fn: (locked: TokenStore) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      await tx.execute(
        sql`select pg_advisory_xact_lock(hashtextextended(${LOCK_NAMESPACE + brandId}, 0))`,
      );
      return fn(new PgWechatTokenStore(this.db, this.cipher, tx));
    });
  }

  async read(brandId: string): Promise<StoredToken | null> {
    const rows = await this.executor
      .select({ enc: wechatTokens.accessTokenEnc, expiresAt: wechatTokens.expiresAt })
      .from(wechatTokens)
      .where(eq(wechatTokens.brandId, brandId))
      .limit(1);
    const row = rows[0];
    if (!row) return null;
    return { token: await this.cipher.decrypt(row.enc), expiresAt: row.expiresAt };
  }

  async write(brandId: string, token: string, expiresAt: Date): Promise<void> {
    const accessTokenEnc = await this.cipher.encrypt(token);
    await this.executor
      .insert(wechatTokens)
      .values({ brandId, accessTokenEnc, expiresAt })
      .onConflictDoUpdate({
        target: wechatTokens.brandId,
        set: { accessTokenEnc, expiresAt, updatedAt: sql`now()` },
      });
  }
}
