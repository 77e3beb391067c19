/**
 * One WeChat client per brand for the worker: credentials from the brands table, the token
 * held in Postgres (shared by every worker process), and the API base from the brand, else
 * WECHAT_API_BASE, else WeChat itself.
 */
import { loadBrandAccount, type BrandAccount } from '../../db/brands';
import type { Db } from '../../db/client';
import type { SecretBox } from '../../db/secrets';
import { PgWechatTokenStore } from '../../db/wechat-token-store';
import { DEFAULT_API_BASE, WechatClient, fetchStableToken } from '../../wechat/client';
import { TokenHolder } from '../../wechat/token-holder';

export interface BrandWechat {
  account: BrandAccount;
  client: WechatClient;
}

export interface WechatClients {
  forBrand(brandId: string): Promise<BrandWechat>;
}

export function createWechatClients(deps: {
  db: Db;
  box: SecretBox;
  apiBase?: string;
  fetch?: typeof fetch;
}): WechatClients {
  const cache = new Map<string, Promise<BrandWechat>>();
  const store = new PgWechatTokenStore(deps.db, {
    encrypt: (plain) => deps.box.seal(plain),
    decrypt: (sealed) => deps.box.open(sealed),
  });

  async function build(brandId: string): Promise<BrandWechat> {
    const account = await loadBrandAccount(deps.db, deps.box, { id: brandId });
    if (!account) throw new Error(`no brand ${brandId}`);
    const transport = {
      baseUrl: account.apiBase ?? deps.apiBase ?? DEFAULT_API_BASE,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    };
    const tokens = new TokenHolder({
      brandId,
      store,
      fetchToken: ({ forceRefresh }) =>
        fetchStableToken(
          { appId: account.appId, secret: account.appSecret, forceRefresh },
          transport,
        ),
    });
    return { account, client: new WechatClient({ ...transport, tokens }) };
  }

  return {
    forBrand(brandId) {
      let entry = cache.get(brandId);
      if (!entry) {
        entry = build(brandId);
        // A failed build (brand missing, DB down) is not remembered.
        entry.catch(() => cache.delete(brandId));
        cache.set(brandId, entry);
      }
      return entry;
    },
  };
}
