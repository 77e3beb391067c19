/**
 * Injected, at the real web process (the production build under remix-serve, see
 * test/support/web-process.ts), issue 14's hostile input on the WeChat callback route:
 * - item 2: a flood of posts to unknown slugs (random, malformed, long; some URLs and headers
 *   over the caps) from many senders at once, while a follower of a real brand scans its QR
 *   code;
 * - item 4: correctly signed pushes whose fields carry U+0000 (raw and `&#0;`), lone
 *   surrogates, CreateTime past a JS Date and PostgreSQL, an 8 KB openid, a 3,000-digit MsgId,
 *   nesting;
 * - item 10: a captured signature, timestamp and nonce replayed with another body;
 * - item 13: bodies over the limit, chunked (no Content-Length) and declared;
 * - a fuzz of arbitrary strings, numbers and nesting in signed pushes (plaintext and safe mode).
 * Asserted: every refusal is its status with `CODE: sentence`; nothing is ever a 5xx or a
 * reset connection; a refused request stores no row (events, followers, nonces); WeChat's
 * retries of a genuine push are still answered `success` once recorded; and the other brand's
 * journey runs on time through the flood — its push answered within WeChat's 5 s, its welcome
 * message sent within seconds.
 */
import { request as httpRequest } from 'node:http';
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CALLBACK_LIMITS } from '../../app/lib/wechat-callback.server';
import { loadBrandAccount } from '../../services/brands/account';
import { events } from '../../db/schema';
import { encryptMessage } from '../../wechat/crypto';
import { buildPush } from '../../wechat/sandbox/push';
import { computeMsgSignature } from '../../wechat/signature';
import { cdata } from '../../wechat/xml';
import { insertBrand, type TestBrand } from '../support/brands';
import {
  callbackPoster,
  followPush,
  hostileCases,
  rawXml,
  signedQuery,
  storedRows,
} from '../support/hostile-callbacks';
import { journeyRows, startRuntime, type Runtime } from '../support/runtime';
import { spawnWeb, type WebProcess } from '../support/web-process';

const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
let rt: Runtime;
let web: WebProcess;

beforeAll(async () => {
  rt = await startRuntime();
  web = await spawnWeb({ databaseUrl: inject('databaseUrl'), secretKeyHex: rt.secretKeyHex });
  // WeChat now pushes this brand's callbacks to the real web process.
  const account = await loadBrandAccount(rt.handle.db, rt.box, { id: rt.brand.id });
  await rt.control.registerAccount({
    appId: rt.brand.appId,
    secret: account!.appSecret,
    token: rt.brand.token,
    mode: 'plaintext',
    callbackUrl: `${web.url}/wechat/${rt.brand.slug}`,
  });
});

afterAll(async () => {
  await web?.stop();
  await rt?.close();
});

const post = callbackPoster(() => web.url, { timeoutMs: 30_000 });
const follow = followPush;

describe('item 4: hostile fields', () => {
  let brand: TestBrand;
  beforeAll(async () => {
    brand = await insertBrand(rt.handle.db, rt.box, { prefix: 'rel-hostile' });
  });

  it('refuses each with 400 and its code, stores nothing, and still records a genuine push', async () => {
    for (const hostile of hostileCases()) {
      const reply = await post(brand.slug, signedQuery(brand), hostile.body);
      const answer = await reply.text();
      expect({ name: hostile.name, status: reply.status, answer }).toMatchObject({
        status: 400,
        answer: expect.stringMatching(new RegExp(`^${hostile.code}: [A-Za-z"]`)),
      });
    }
    expect(await storedRows(rt.handle.db, brand.id)).toEqual({
      events: 0,
      followers: 0,
      nonces: 0,
    });
    expect(web.output()).not.toMatch(/"level":50/); // no error logged: nothing was a crash

    const genuine = buildPush(
      { token: brand.token, appId: brand.appId, mode: 'plaintext' },
      follow('o_genuine'),
    );
    expect(await (await post(brand.slug, genuine.query, genuine.body)).text()).toBe('success');
    expect(await storedRows(rt.handle.db, brand.id)).toEqual({
      events: 1,
      followers: 1,
      nonces: 1,
    });
  });
});

describe('item 10: replayed nonces', () => {
  it('refuses a captured signature with another body; absorbs WeChat retries of the same push', async () => {
    const brand = await insertBrand(rt.handle.db, rt.box, { prefix: 'rel-replay' });
    const account = { token: brand.token, appId: brand.appId, mode: 'plaintext' as const };
    const original = buildPush(account, follow('o_first'));
    const forged = buildPush(account, follow('o_forged'));
    const [first, ...rest] = await Promise.all([
      post(brand.slug, original.query, original.body),
      post(brand.slug, original.query, original.body),
      post(brand.slug, original.query, original.body),
    ]);
    expect([first, ...rest].map((r) => r.status)).toEqual([200, 200, 200]);
    const replay = await post(brand.slug, original.query, forged.body);
    expect(replay.status).toBe(401);
    expect(await replay.text()).toMatch(/^E_REPLAYED_NONCE: /);
    const stored = await rt.handle.db.select().from(events).where(eq(events.brandId, brand.id));
    expect(stored.map((e) => e.openid)).toEqual(['o_first']);
    expect(await storedRows(rt.handle.db, brand.id)).toEqual({
      events: 1,
      followers: 1,
      nonces: 1,
    });
  });
});

describe('item 13: oversized bodies', () => {
  /** Posts `size` bytes chunked (no Content-Length) over a raw socket; resolves the answer or the socket error. */
  function postChunked(slug: string, size: number, chunk = 16 * 1024) {
    return new Promise<{ status?: number; body?: string; error?: string }>((resolve) => {
      const query = new URLSearchParams(signedQuery(rt.brand));
      const req = httpRequest(`${web.url}/wechat/${slug}?${query}`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml', 'transfer-encoding': 'chunked' },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode, body }));
        res.on('error', (e) => resolve({ status: res.statusCode, error: e.message }));
      });
      req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
      let sent = 0;
      const pump = () => {
        while (sent < size) {
          sent += chunk;
          if (!req.write(Buffer.alloc(chunk, 0x20))) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
  }

  it('answers 413 with a sentence to a chunked body over the limit, not a reset', async () => {
    for (const size of [80 * 1024, 1024 * 1024, 8 * 1024 * 1024, 64 * 1024 * 1024]) {
      const answer = await postChunked(rt.brand.slug, size);
      expect({ size, ...answer }).toEqual({
        size,
        status: 413,
        body: expect.stringMatching(/^E_XML_TOO_LARGE: /),
      });
    }
    const declared = await post(
      rt.brand.slug,
      signedQuery(rt.brand),
      Buffer.alloc(3 * 1024 * 1024, 0x20),
    );
    expect(declared.status).toBe(413);
    expect(await declared.text()).toMatch(/^E_XML_TOO_LARGE: /);
  });
  it('answers at once to a body that never ends, and drops the connection after the drain time', async () => {
    const query = new URLSearchParams(signedQuery(rt.brand));
    const started = performance.now();
    const outcome = await new Promise<{ status?: number; answeredMs: number; closedMs: number }>(
      (resolve) => {
        let status: number | undefined;
        let answeredMs = -1;
        const req = httpRequest(`${web.url}/wechat/${rt.brand.slug}?${query}`, {
          method: 'POST',
          headers: { 'content-type': 'text/xml', 'transfer-encoding': 'chunked' },
        });
        req.on('response', (res) => {
          status = res.statusCode;
          answeredMs = performance.now() - started;
          res.resume();
        });
        // 100 KiB, then a trickle that would go on for a minute.
        req.write(Buffer.alloc(100 * 1024, 0x20));
        const trickle = setInterval(() => req.write(' '), 500);
        req.on('close', () => {
          clearInterval(trickle);
          resolve({ status, answeredMs, closedMs: performance.now() - started });
        });
        req.on('error', () => {});
        setTimeout(() => req.destroy(), 60_000);
      },
    );
    expect(outcome.status).toBe(413);
    expect(outcome.answeredMs).toBeLessThan(5_000);
    expect(outcome.closedMs).toBeGreaterThan(CALLBACK_LIMITS.drainMs - 1_000);
    expect(outcome.closedMs).toBeLessThan(CALLBACK_LIMITS.drainMs + 20_000);
  });
});

describe('item 2: unknown slugs flood the route while another brand works', () => {
  it("answers every stranger (404, 414, 431, never a failure), and the other brand's journey runs on time", async () => {
    const { flowId } = await rt.publish({
      format: 'fanfare.flow/v1',
      name: 'On time through a flood',
      settings: { timezone: 'Asia/Shanghai', entry: { reentry: 'once' } },
      nodes: [
        {
          id: 'scan',
          kind: 'trigger.qr_scan',
          label: 'scan',
          config: { scenes: ['on-time'], who: 'both' },
        },
        {
          id: 'push',
          kind: 'action.push',
          label: 'welcome',
          config: {
            channel: 'customer_service',
            message: { type: 'text', text: 'welcome, on time' },
          },
        },
        { id: 'end', kind: 'flow.end', label: 'end' },
      ],
      edges: [
        { id: 'e1', from: 'scan', to: 'push' },
        { id: 'e2', from: 'push', to: 'end' },
      ],
    });

    const answers = new Map<number, number>();
    const failures: string[] = [];
    let stop = false;
    let n = 0;
    const stranger = async () => {
      while (!stop) {
        const i = n++;
        const slug =
          i % 40 === 7
            ? `%E0%A4%A${i}` // malformed percent-encoding
            : i % 40 === 13
              ? 'w'.repeat(20_000) // over Node's 16 KiB for request line and headers
              : i % 3 === 0
                ? `nobody-${i}-${Math.random().toString(36).slice(2)}`
                : i % 3 === 1
                  ? `${'Z'.repeat(200 + (i % 1500))}${i}`
                  : `x${i}`.repeat(1 + ((i * 37) % 700));
        const headers: Record<string, string> = i % 50 === 0 ? { 'x-pad': 'p'.repeat(9_000) } : {};
        try {
          const reply = await post(slug, signedQuery(rt.brand), '<xml><A>1</A></xml>', headers);
          await reply.arrayBuffer();
          answers.set(reply.status, (answers.get(reply.status) ?? 0) + 1);
        } catch (error) {
          failures.push(`${(error as Error).message} ${String((error as Error).cause ?? '')}`);
        }
      }
    };

    await rt.running(async () => {
      const flood = Array.from({ length: 12 }, stranger);
      try {
        await new Promise((r) => setTimeout(r, 3_000)); // the flood is on
        const startedAt = performance.now();
        const scan = await rt.control.scan(rt.brand.appId, 'o_on_time', 'on-time');
        const answeredIn = performance.now() - startedAt;
        expect(scan.attempts.map((a) => [a.status, a.body])).toEqual([[200, 'success']]);
        expect(answeredIn).toBeLessThan(5_000); // WeChat's limit for the answer
        await expect
          .poll(() => rt.control.sentMessages(rt.brand.appId, 'o_on_time'), {
            timeout: 20_000,
            interval: 250,
          })
          .toHaveLength(1);
        await expect
          .poll(async () => (await journeyRows(rt, flowId)).map((j) => j.status), {
            timeout: 20_000,
            interval: 250,
          })
          .toEqual(['completed']);
        console.info(
          `flood: welcome sent ${Math.round(performance.now() - startedAt)} ms after the scan, ` +
            `${n} stranger requests so far`,
        );
      } finally {
        stop = true;
        await Promise.all(flood);
      }
    });

    expect(failures).toEqual([]);
    expect([...answers.keys()].sort()).toEqual([404, 414, 431]);
    expect(answers.get(404)).toBeGreaterThan(50);
  });
});

describe('fuzz: arbitrary strings, numbers and nesting in signed pushes', () => {
  const FIELDS = [
    'ToUserName',
    'FromUserName',
    'CreateTime',
    'MsgType',
    'Event',
    'EventKey',
    'Ticket',
    'Content',
    'MsgId',
    'Latitude',
    'Longitude',
    'Precision',
    'MenuId',
    'PicUrl',
    'Encrypt',
  ];
  const nasty = fc.constantFrom(
    '\u0000',
    '\ud800',
    '\udfff',
    '\ufffe',
    '\u001b',
    '&#0;',
    '&#xD800;',
    '&#65534;',
    ']]>',
    '<',
    '&',
    '&amp;',
    '&lt;x&gt;',
    '<!DOCTYPE x>',
    '<!ENTITY a "b">',
    'qrscene_',
    '😀',
    '\t\r\n',
  );
  const str = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 80 }),
    fc.string({
      unit: fc.oneof(nasty, fc.string({ unit: 'grapheme', maxLength: 3 })),
      maxLength: 20,
    }),
    fc.integer().map(String),
    fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String),
    fc.double().map(String),
    fc.constantFrom(
      'text',
      'event',
      'subscribe',
      'SCAN',
      'CLICK',
      'VIEW',
      'LOCATION',
      'unsubscribe',
      'image',
    ),
    fc.nat({ max: 40_000 }).map((k) => 'x'.repeat(k)),
  );
  /** A value as XML: text (escaped or raw), CDATA, or nested elements (repeated or deep). */
  const value: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      str.map((s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;')),
      str,
      str.map((s) => cdata(s)),
      fc
        .array(fc.tuple(fc.constantFrom(...FIELDS, 'a', 'item'), tie('v')), { maxLength: 3 })
        .map((kids) => kids.map(([k, v]) => `<${k}>${v}</${k}>`).join('')),
    ),
  })).v;
  /** A valid push of each kind, as the starting point that fuzzed fields replace or add to. */
  const kinds: Record<string, string>[] = [
    { MsgType: 'event', Event: 'subscribe', EventKey: 'qrscene_fuzz' },
    { MsgType: 'event', Event: 'SCAN', EventKey: 'fuzz', Ticket: 't' },
    { MsgType: 'event', Event: 'unsubscribe' },
    { MsgType: 'event', Event: 'CLICK', EventKey: 'K' },
    { MsgType: 'event', Event: 'VIEW', EventKey: 'https://x.test/' },
    { MsgType: 'event', Event: 'LOCATION', Latitude: '23.1', Longitude: '113.3', Precision: '50' },
    { MsgType: 'text', Content: 'hi', MsgId: '1' },
    { MsgType: 'image', PicUrl: 'u', MsgId: '2' },
  ];
  const push = fc.record({
    kind: fc.nat({ max: kinds.length - 1 }),
    /** Fields replaced or added with fuzzed values (WeChat's names and others). */
    fuzzed: fc.dictionary(
      fc.oneof(fc.constantFrom(...FIELDS), fc.constantFrom('X', 'item')),
      value,
      {
        maxKeys: 3,
      },
    ),
    /** Drop a field of the valid push altogether. */
    drop: fc.option(fc.constantFrom(...FIELDS), { nil: undefined, freq: 4 }),
    /** The fuzzed fields alone, without the valid push around them. */
    bare: fc.nat({ max: 9 }).map((n) => n === 0),
  });
  let serial = 0;
  const base = (kind: number) => ({
    ToUserName: 'gh_000000000000',
    FromUserName: `o_fuzz_${serial}`,
    CreateTime: String(Math.floor(Date.now() / 1000)),
    ...kinds[kind]!,
    ...('MsgId' in kinds[kind]! ? { MsgId: String(1_000_000 + serial) } : {}),
  });

  it('never answers 5xx, and a refused push stores nothing (plaintext and safe mode)', async () => {
    const plain = await insertBrand(rt.handle.db, rt.box, { prefix: 'fuzz-plain' });
    const safe = await insertBrand(rt.handle.db, rt.box, {
      prefix: 'fuzz-safe',
      mode: 'safe',
      aesKey: AES_KEY,
    });
    const seen: Record<number, number> = {};
    await fc.assert(
      fc.asyncProperty(push, fc.boolean(), async ({ kind, fuzzed, drop, bare }, encrypted) => {
        serial++;
        const brand = encrypted ? safe : plain;
        const fields: Record<string, string> = { ...(bare ? {} : base(kind)), ...fuzzed };
        if (drop) delete fields[drop];
        const xml = rawXml(fields);
        let query: Record<string, string>;
        let body: string;
        if (encrypted) {
          // Sign and encrypt the fuzzed XML as WeChat would: the inner XML is what is fuzzed.
          const sealed = buildPush(
            { token: brand.token, appId: brand.appId, aesKey: AES_KEY, mode: 'safe' },
            {},
          );
          const encrypt = encryptMessage(xml, { aesKey: AES_KEY, appId: brand.appId });
          query = {
            ...sealed.query,
            msg_signature: computeMsgSignature(
              brand.token,
              sealed.query.timestamp!,
              sealed.query.nonce!,
              encrypt,
            ),
          };
          body = `<xml><ToUserName>${cdata('gh_000000000000')}</ToUserName><Encrypt>${cdata(encrypt)}</Encrypt></xml>`;
        } else {
          query = signedQuery(brand);
          body = xml;
        }
        const before = await storedRows(rt.handle.db, brand.id);
        const reply = await post(brand.slug, query, body);
        const answer = await reply.text();
        seen[reply.status] = (seen[reply.status] ?? 0) + 1;
        expect(reply.status, answer).toBeLessThan(500);
        if (reply.status !== 200) {
          expect(answer).toMatch(/^E_[A-Z_]+: ./);
          expect(await storedRows(rt.handle.db, brand.id)).toEqual(before);
        }
      }),
      {
        numRuns: Number(process.env.FUZZ_RUNS ?? 300),
        seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31),
      },
    );
    console.info(`fuzz: answers by status ${JSON.stringify(seen)}`);
    expect(seen[400]).toBeGreaterThan(0);
    expect(seen[200]).toBeGreaterThan(0);
    // Every accepted push left its nonce claim and at most one event (fuzzed pushes may share a
    // dedupe key); refused ones left nothing.
    const [a, b] = [
      await storedRows(rt.handle.db, plain.id),
      await storedRows(rt.handle.db, safe.id),
    ];
    expect(a.nonces + b.nonces).toBe(seen[200]);
    expect(a.events + b.events).toBeLessThanOrEqual(seen[200]!);
  });
});
