/**
 * Callback bodies that once answered 500 (issue 14, item 4) or that no WeChat push looks like,
 * each signed correctly for a plaintext brand: the route must refuse each with 400, its code
 * and a sentence, and store nothing. Used by the integration and the reliability suites.
 */
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { callbackNonces, events, followers } from '../../db/schema';
import { buildPush, type PushFields } from '../../wechat/sandbox/push';

/** A follow push as the sandbox builds it (scene cup-2012), with `over` replacing fields. */
export const followPush = (openid: string, over: PushFields = {}): PushFields => ({
  ToUserName: 'gh_000000000000',
  FromUserName: openid,
  CreateTime: Math.floor(Date.now() / 1000),
  MsgType: 'event',
  Event: 'subscribe',
  EventKey: 'qrscene_cup-2012',
  Ticket: 't',
  ...over,
});

/** POSTs a callback body to `<base>/wechat/<slug>?<query>` as WeChat does (XML, streamed or not). */
export const callbackPoster =
  (baseUrl: () => string, options: { timeoutMs?: number } = {}) =>
  (
    slug: string,
    query: Record<string, string>,
    body: string | Buffer | ReadableStream<Uint8Array>,
    headers: Record<string, string> = {},
  ) =>
    fetch(`${baseUrl()}/wechat/${slug}?${new URLSearchParams(query)}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8', ...headers },
      body,
      ...(options.timeoutMs ? { signal: AbortSignal.timeout(options.timeoutMs) } : {}),
      ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit);

export interface HostileCase {
  name: string;
  /** The raw body (some cases are not expressible with buildXml's CDATA). */
  body: string | Buffer;
  code: string;
  /** The openid a store would have used, to look for rows that must not exist. */
  openid: string;
}

/** A flat `<xml>` written as given: values are inserted raw (references, controls and all). */
export function rawXml(fields: Record<string, string>): string {
  return `<xml>${Object.entries(fields)
    .map(([k, v]) => `<${k}>${v}</${k}>`)
    .join('')}</xml>`;
}

export function hostileCases(now = Math.floor(Date.now() / 1000)): HostileCase[] {
  const text = (openid: string, over: Record<string, string> = {}) =>
    rawXml({
      ToUserName: 'gh_000000000000',
      FromUserName: openid,
      CreateTime: String(now),
      MsgType: 'text',
      Content: 'hello',
      MsgId: '1234567890123456',
      ...over,
    });
  const follow = (openid: string, over: Record<string, string> = {}) =>
    rawXml({
      ToUserName: 'gh_000000000000',
      FromUserName: openid,
      CreateTime: String(now),
      MsgType: 'event',
      Event: 'subscribe',
      EventKey: 'qrscene_cup-2012',
      ...over,
    });
  const cases: HostileCase[] = [
    {
      name: 'a raw U+0000 in Content',
      body: text('o_h1', { Content: 'a\u0000b' }),
      code: 'E_XML_CHAR',
      openid: 'o_h1',
    },
    {
      name: 'a raw U+0000 in CDATA',
      body: text('o_h2', { Content: '<![CDATA[a\u0000b]]>' }),
      code: 'E_XML_CHAR',
      openid: 'o_h2',
    },
    {
      name: '&#0; in Content',
      body: text('o_h3', { Content: 'a&#0;b' }),
      code: 'E_XML_CHAR',
      openid: 'o_h3',
    },
    { name: '&#0; in the openid', body: follow('o_h4&#0;'), code: 'E_XML_CHAR', openid: 'o_h4' },
    {
      name: '&#x0; in EventKey',
      body: follow('o_h5', { EventKey: 'qrscene_a&#x0;' }),
      code: 'E_XML_CHAR',
      openid: 'o_h5',
    },
    {
      name: 'a lone surrogate &#xD800; in Content',
      body: text('o_h6', { Content: 'x&#xD800;' }),
      code: 'E_XML_CHAR',
      openid: 'o_h6',
    },
    {
      name: 'a lone surrogate &#xDC00; in EventKey',
      body: follow('o_h7', { EventKey: 'qrscene_&#xDC00;' }),
      code: 'E_XML_CHAR',
      openid: 'o_h7',
    },
    {
      name: 'a body that is not UTF-8',
      body: Buffer.concat([
        Buffer.from(text('o_h8').replace('hello', '')),
        Buffer.from([0xff, 0xfe]),
      ]),
      code: 'E_XML_CHAR',
      openid: 'o_h8',
    },
    {
      name: 'CreateTime beyond a JS Date',
      body: follow('o_h9', { CreateTime: '8640000000001' }),
      code: 'E_BAD_MESSAGE',
      openid: 'o_h9',
    },
    {
      name: 'CreateTime beyond PostgreSQL',
      body: follow('o_h10', { CreateTime: '99999999999999999999' }),
      code: 'E_BAD_MESSAGE',
      openid: 'o_h10',
    },
    {
      name: 'CreateTime 0',
      body: follow('o_h11', { CreateTime: '0' }),
      code: 'E_BAD_MESSAGE',
      openid: 'o_h11',
    },
    {
      name: 'an 8 KB openid',
      body: follow('o'.repeat(8192)),
      code: 'E_BAD_MESSAGE',
      openid: 'o'.repeat(8192),
    },
    {
      name: 'a MsgId over the index row size',
      body: text('o_h13', { MsgId: '7'.repeat(3000) }),
      code: 'E_BAD_MESSAGE',
      openid: 'o_h13',
    },
    {
      name: 'a nested Content',
      body: text('o_h14', { Content: '<a><b>x</b></a>' }),
      code: 'E_BAD_MESSAGE',
      openid: 'o_h14',
    },
    {
      name: 'a repeated openid',
      body: follow('o_h15').replace(
        '</FromUserName>',
        '</FromUserName><FromUserName>o_h15b</FromUserName>',
      ),
      code: 'E_BAD_MESSAGE',
      openid: 'o_h15',
    },
    {
      name: 'a 65-character QR scene',
      body: follow('o_h16', { EventKey: `qrscene_${'s'.repeat(65)}` }),
      code: 'E_BAD_MESSAGE',
      openid: 'o_h16',
    },
    {
      name: 'nesting 5,000 deep',
      body: text('o_h17', { Content: `${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}` }),
      code: 'E_XML_MALFORMED',
      openid: 'o_h17',
    },
  ];
  return cases;
}

/** The signed query of a plaintext push (the body is not signed in plaintext mode). */
export function signedQuery(brand: { token: string; appId: string }, nonce?: string) {
  return buildPush(
    { token: brand.token, appId: brand.appId, mode: 'plaintext' },
    {},
    nonce ? { nonce } : {},
  ).query;
}

/** Rows a brand has in every table a push writes to: all must stay put for a refused one. */
export async function storedRows(db: Db, brandId: string) {
  const count = async (table: typeof events | typeof followers | typeof callbackNonces) =>
    (
      await db
        .select({ n: sql<number>`count(*)::int` })
        .from(table)
        .where(eq(table.brandId, brandId))
    )[0]!.n;
  return {
    events: await count(events),
    followers: await count(followers),
    nonces: await count(callbackNonces),
  };
}
