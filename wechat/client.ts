/**
 * Typed Official Account API client over fetch. Token errors invalidate the token and retry
 * once; 45009 / -1 (and, for idempotent calls, 5xx / timeouts / network errors) back off with
 * full jitter for a bounded number of attempts. A send that may have reached WeChat is never
 * repeated here: the caller's idempotency record decides.
 */
import type {
  AccessTokenResponse,
  AddConditionalResponse,
  BatchGetUserInfoResponse,
  CreateTagResponse,
  CustomMessage,
  MassMessage,
  MassSendResponse,
  GetMenuResponse,
  GetTagsResponse,
  Lang,
  MatchRule,
  Menu,
  OpenidPage,
  PrivateTemplate,
  PrivateTemplateList,
  QrCodeRequest,
  QrCodeResponse,
  TagIdListResponse,
  TemplateMessage,
  TemplateSendResponse,
  TryMatchResponse,
  UserInfo,
} from './api-types';
import { WechatError, isNotProcessed, isRetryable, isTokenError } from './errors';
import { parseJsonSafe } from './json';

export const DEFAULT_API_BASE = 'https://api.weixin.qq.com';

export interface TokenProvider {
  getToken(): Promise<string>;
  /** Called with a token WeChat rejected; the next getToken returns a fresh one. */
  invalidate(token: string): Promise<void>;
}

/** How long one API request may take before the client gives up on it. */
export const DEFAULT_TIMEOUT_MS = 10_000;

export interface TransportOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Uniform [0, 1) source for jitter. */
  random?: () => number;
  /** Attempts for retryable failures, the first included (default 4). */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export interface WechatClientOptions extends TransportOptions {
  tokens: TokenProvider;
}

interface Call {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  /** Safe to repeat after an ambiguous failure (timeout, 5xx, network). */
  idempotent: boolean;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One HTTP exchange: JSON in, JSON out (64-bit ids as strings), every failure a WechatError. */
async function exchange<T>(opts: TransportOptions, call: Call, token?: string): Promise<T> {
  const url = new URL(call.path, opts.baseUrl ?? DEFAULT_API_BASE);
  if (token) url.searchParams.set('access_token', token);
  for (const [k, v] of Object.entries(call.query ?? {}))
    if (v !== undefined) url.searchParams.set(k, v);
  let res: Response;
  try {
    res = await (opts.fetch ?? fetch)(url, {
      method: call.method,
      headers: call.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
  } catch (err) {
    const timeout = (err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError';
    throw new WechatError(
      timeout ? 'timeout' : 'network',
      null,
      (err as Error).message,
      call.path,
      null,
      {
        cause: err,
      },
    );
  }
  const text = await res.text().catch(() => '');
  if (!res.ok) throw new WechatError('http', null, `HTTP ${res.status}`, call.path, res.status);
  let json: unknown;
  try {
    json = parseJsonSafe(text);
  } catch (err) {
    throw new WechatError('parse', null, 'response is not JSON', call.path, res.status, {
      cause: err,
    });
  }
  if (!json || typeof json !== 'object')
    throw new WechatError('parse', null, 'response is not an object', call.path, res.status);
  const { errcode, errmsg } = json as { errcode?: unknown; errmsg?: unknown };
  if (typeof errcode === 'number' && errcode !== 0) {
    throw new WechatError(
      'api',
      errcode,
      typeof errmsg === 'string' ? errmsg : '',
      call.path,
      res.status,
    );
  }
  return json as T;
}

/** Runs `attempt` with bounded, jittered backoff on retryable failures. */
async function withBackoff<T>(
  opts: TransportOptions,
  call: Call,
  attempt: () => Promise<T>,
): Promise<T> {
  const max = Math.max(1, opts.maxAttempts ?? 4);
  const base = opts.baseDelayMs ?? 200;
  const cap = opts.maxDelayMs ?? 5_000;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      const repeatable = call.idempotent ? isRetryable(err) : isNotProcessed(err);
      if (n >= max || !repeatable) throw err;
      const ceiling = Math.min(cap, base * 2 ** (n - 1));
      await (opts.sleep ?? defaultSleep)(Math.floor((opts.random ?? Math.random)() * ceiling));
    }
  }
}

/** POST /cgi-bin/stable_token (no access token needed). */
export async function fetchStableToken(
  credentials: { appId: string; secret: string; forceRefresh?: boolean },
  opts: TransportOptions = {},
): Promise<AccessTokenResponse> {
  const call: Call = {
    method: 'POST',
    path: '/cgi-bin/stable_token',
    body: {
      grant_type: 'client_credential',
      appid: credentials.appId,
      secret: credentials.secret,
      force_refresh: credentials.forceRefresh ?? false,
    },
    idempotent: !credentials.forceRefresh,
  };
  return withBackoff(opts, call, () => exchange<AccessTokenResponse>(opts, call));
}

type Ok = { errcode: 0; errmsg: string };

export class WechatClient {
  constructor(private readonly opts: WechatClientOptions) {}

  private async request<T>(call: Call): Promise<T> {
    return withBackoff(this.opts, call, async () => {
      const token = await this.opts.tokens.getToken();
      try {
        return await exchange<T>(this.opts, call, token);
      } catch (err) {
        if (!isTokenError(err)) throw err;
        await this.opts.tokens.invalidate(token);
        return exchange<T>(this.opts, call, await this.opts.tokens.getToken());
      }
    });
  }

  private get<T>(path: string, query?: Record<string, string | undefined>): Promise<T> {
    return this.request<T>({ method: 'GET', path, query, idempotent: true });
  }

  private post<T>(path: string, body: unknown, idempotent: boolean): Promise<T> {
    return this.request<T>({ method: 'POST', path, body, idempotent });
  }

  // followers
  getUserInfo(openid: string, lang: Lang = 'zh_CN'): Promise<UserInfo> {
    return this.get('/cgi-bin/user/info', { openid, lang });
  }
  async batchGetUserInfo(openids: string[], lang: Lang = 'zh_CN'): Promise<UserInfo[]> {
    if (openids.length === 0) return [];
    if (openids.length > 100)
      throw new RangeError('batchGetUserInfo takes at most 100 openids a call');
    const res = await this.post<BatchGetUserInfoResponse>(
      '/cgi-bin/user/info/batchget',
      { user_list: openids.map((openid) => ({ openid, lang })) },
      true,
    );
    return res.user_info_list;
  }
  listFollowers(nextOpenid?: string): Promise<OpenidPage> {
    return this.get('/cgi-bin/user/get', { next_openid: nextOpenid || undefined });
  }

  // tags
  async createTag(name: string): Promise<{ id: number; name: string }> {
    return (await this.post<CreateTagResponse>('/cgi-bin/tags/create', { tag: { name } }, false))
      .tag;
  }
  async getTags(): Promise<GetTagsResponse['tags']> {
    return (await this.get<GetTagsResponse>('/cgi-bin/tags/get')).tags;
  }
  async updateTag(id: number, name: string): Promise<void> {
    await this.post<Ok>('/cgi-bin/tags/update', { tag: { id, name } }, true);
  }
  async deleteTag(id: number): Promise<void> {
    await this.post<Ok>('/cgi-bin/tags/delete', { tag: { id } }, true);
  }
  async tagFollowers(tagId: number, openids: string[]): Promise<void> {
    await this.post<Ok>(
      '/cgi-bin/tags/members/batchtagging',
      { openid_list: openids, tagid: tagId },
      true,
    );
  }
  async untagFollowers(tagId: number, openids: string[]): Promise<void> {
    await this.post<Ok>(
      '/cgi-bin/tags/members/batchuntagging',
      { openid_list: openids, tagid: tagId },
      true,
    );
  }
  async getFollowerTags(openid: string): Promise<number[]> {
    return (await this.post<TagIdListResponse>('/cgi-bin/tags/getidlist', { openid }, true))
      .tagid_list;
  }
  listTagFollowers(tagId: number, nextOpenid?: string): Promise<Omit<OpenidPage, 'total'>> {
    return this.post(
      '/cgi-bin/user/tag/get',
      { tagid: tagId, next_openid: nextOpenid ?? '' },
      true,
    );
  }

  // menus
  async createMenu(menu: Menu): Promise<void> {
    await this.post<Ok>('/cgi-bin/menu/create', menu, true);
  }
  getMenu(): Promise<GetMenuResponse> {
    return this.get('/cgi-bin/menu/get');
  }
  async deleteMenu(): Promise<void> {
    await this.get<Ok>('/cgi-bin/menu/delete');
  }
  async addConditionalMenu(menu: Menu, matchrule: MatchRule): Promise<string> {
    const res = await this.post<AddConditionalResponse>(
      '/cgi-bin/menu/addconditional',
      { ...menu, matchrule },
      false,
    );
    return String(res.menuid);
  }
  async deleteConditionalMenu(menuid: string): Promise<void> {
    await this.post<Ok>('/cgi-bin/menu/delconditional', { menuid }, true);
  }
  tryMatchMenu(userId: string): Promise<TryMatchResponse> {
    return this.post('/cgi-bin/menu/trymatch', { user_id: userId }, true);
  }

  // QR codes and pushes
  createQrCode(request: QrCodeRequest): Promise<QrCodeResponse> {
    return this.post('/cgi-bin/qrcode/create', request, false);
  }
  async sendCustomMessage(message: CustomMessage): Promise<void> {
    await this.post<Ok>('/cgi-bin/message/custom/send', message, false);
  }
  /** The account's private templates (title, content with its `{{key.DATA}}` keywords, …). */
  async getAllPrivateTemplates(): Promise<PrivateTemplate[]> {
    return (await this.get<PrivateTemplateList>('/cgi-bin/template/get_all_private_template'))
      .template_list;
  }
  async sendTemplateMessage(message: TemplateMessage): Promise<TemplateSendResponse> {
    // with client_msg_id WeChat dedupes, so an ambiguous failure may be repeated
    const res = await this.post<TemplateSendResponse>(
      '/cgi-bin/message/template/send',
      message,
      Boolean(message.client_msg_id),
    );
    return { msgid: String(res.msgid) };
  }
  /** A mass send to an OpenID list; with `clientmsgid` WeChat dedupes, so it may be repeated. */
  async sendMassMessage(message: MassMessage): Promise<MassSendResponse> {
    const res = await this.post<MassSendResponse>(
      '/cgi-bin/message/mass/send',
      message,
      Boolean(message.clientmsgid),
    );
    return {
      msg_id: String(res.msg_id),
      ...(res.msg_data_id === undefined ? {} : { msg_data_id: String(res.msg_data_id) }),
    };
  }
}
