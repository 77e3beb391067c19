/**
 * One WeChat client per brand for the worker: credentials from the brands table, the token
 * held in Postgres (shared by every worker process), and the API base from the brand, else
 * WECHAT_API_BASE, else WeChat itself. A client is rebuilt from the table after
 * `accountTtlMs` (60 s), so credentials changed on the brand's connection page are used
 * within a minute without restarting the process.
 */
import { loadBrandAccount, type BrandAccount } from '../brands/account';
import type { Db } from '../../db/client';
import type { SecretBox } from '../secrets';
import { PgWechatTokenStore } from './token-store';
import { DEFAULT_API_BASE, WechatClient, fetchStableToken } from '../../wechat/client';
import { TokenHolder } from '../../wechat/token-holder';

export interface BrandWechat {
  account: BrandAccount;
  client: WechatClient;
}

export interface WechatClients {
  forBrand(brandId: string): Promise<BrandWechat>;
}

interface ClientDeps {
  db: Db;
  box: SecretBox;
  apiBase?: string;
  fetch?: typeof fetch;
}

/**
 * A WeChat client for one brand, over its stored credentials and the token held in Postgres;
 * null when the brand has no credentials (or does not exist). Uncached: createWechatClients
 * keeps them for the processes that call WeChat often.
 */
export async function openBrandWechat(
  deps: ClientDeps,
  brandId: string,
): Promise<BrandWechat | null> {
  const account = await loadBrandAccount(deps.db, deps.box, { id: brandId });
  if (!account) return null;
  const store = new PgWechatTokenStore(deps.db, {
    encrypt: (plain) => deps.box.seal(plain),
    decrypt: (sealed) => deps.box.open(sealed),
  });
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

export function createWechatClients(deps: {
  db: Db;
  box: SecretBox;
  apiBase?: string;
  fetch?: typeof fetch;
  accountTtlMs?: number;
  now?: () => number;
}): WechatClients {
  const ttl = deps.accountTtlMs ?? 60_000;
  const now = deps.now ?? Date.now;
  const cache = new Map<string, { at: number; client: Promise<BrandWechat> }>();
  async function build(brandId: string): Promise<BrandWechat> {
    const opened = await openBrandWechat(deps, brandId);
    if (!opened) throw new Error(`no brand ${brandId}, or it has no WeChat credentials yet`);
    return opened;
  }

  return {
    forBrand(brandId) {
      const cached = cache.get(brandId);
      if (cached && now() - cached.at < ttl) return cached.client;
      const entry = { at: now(), client: build(brandId) };
      // A failed build (brand missing, DB down) is not remembered.
      entry.client.catch(() => {
        if (cache.get(brandId) === entry) cache.delete(brandId);
      });
      cache.set(brandId, entry);
      return entry.client;
    },
  };
}
