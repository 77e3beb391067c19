/**
 * Injected: a soak of requests to unknown slugs at the real web process (the production build
 * under remix-serve, run with --expose-gc; see test/support/web-process.ts) — random brand-like
 * slugs, long malformed ones, URLs over the cap, GETs and POSTs with bodies, from a bounded
 * pool of senders — for CALLBACK_SOAK_SECONDS (default 600: ten minutes), with a genuine push
 * to a real brand now and then so the brand cache and the database path stay in the mix.
 * Asserted: every stranger gets its 404 (or 414), every genuine push `success`; and the web
 * process's heap after a full GC at the end is within 10 % of the heap after GC at the start
 * (after a warm-up). Before the fix every unknown slug stayed cached for good.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { connect, type DbHandle } from '../../db/client';
import { SecretBox } from '../../services/secrets';
import { buildPush } from '../../wechat/sandbox/push';
import { insertBrand, type TestBrand } from '../support/brands';
import { retainedHeap } from '../support/heap-probe-client';
import { signedQuery } from '../support/hostile-callbacks';
import { spawnWeb, type WebProcess } from '../support/web-process';

const SOAK_MS = Number(process.env.CALLBACK_SOAK_SECONDS ?? 600) * 1000;
const WARM_UP_MS = 15_000;
const SENDERS = 8;
const GENUINE_EVERY = 50;
/** Heap samples taken along the way, for the log. */
const SAMPLE_EVERY_MS = Math.max(10_000, SOAK_MS / 10);

const secretKeyHex = randomBytes(32).toString('hex');
let handle: DbHandle;
let web: WebProcess;
let brand: TestBrand;

beforeAll(async () => {
  handle = connect(inject('databaseUrl'), { max: 2 });
  brand = await insertBrand(handle.db, new SecretBox(secretKeyHex), { prefix: 'soak' });
  web = await spawnWeb({ databaseUrl: inject('databaseUrl'), secretKeyHex });
});

afterAll(async () => {
  await web?.stop();
  await handle?.close();
});

/** The i-th stranger's request: a slug no brand has, of one of several shapes. */
function stranger(i: number): { url: string; init: RequestInit } {
  const random = randomBytes(8).toString('hex');
  const slugs = [
    `shop-${random}`, // looks like a brand: one lookup, then 404
    `${random}${'Q'.repeat(100 + (i % 1800))}`, // long and malformed: 404 without a lookup
    `${random}-${'z'.repeat(2100 + (i % 4000))}`, // over the URL cap: 414
    encodeURIComponent(`品牌-${random}-${'字'.repeat(i % 200)}`), // not ASCII
  ];
  const slug = slugs[i % slugs.length]!;
  const url = `${web.url}/wechat/${slug}?${new URLSearchParams(signedQuery(brand))}`;
  return i % 2 === 0
    ? { url, init: { method: 'GET' } }
    : { url, init: { method: 'POST', body: `<xml><Content>${random}</Content></xml>` } };
}

function genuine(i: number): { url: string; init: RequestInit } {
  const push = buildPush(
    { token: brand.token, appId: brand.appId, mode: 'plaintext' },
    {
      ToUserName: 'gh_000000000000',
      FromUserName: `o_soak_${i % 500}`,
      CreateTime: Math.floor(Date.now() / 1000),
      MsgType: 'text',
      Content: `soak ${i}`,
      MsgId: String(10_000_000 + i),
    },
  );
  return {
    url: `${web.url}/wechat/${brand.slug}?${new URLSearchParams(push.query)}`,
    init: { method: 'POST', body: push.body },
  };
}

async function run(durationMs: number, counts: Map<string, number>): Promise<void> {
  const deadline = Date.now() + durationMs;
  let n = 0;
  const sender = async () => {
    while (Date.now() < deadline) {
      const i = n++;
      const real = i % GENUINE_EVERY === 0;
      const { url, init } = real ? genuine(i) : stranger(i);
      let outcome: string;
      try {
        const reply = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
        const text = await reply.text();
        outcome = real
          ? `genuine ${reply.status} ${text}`
          : `stranger ${reply.status} ${text.split(':')[0]}`;
      } catch (error) {
        outcome = `failed ${(error as Error).message}`;
      }
      counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: SENDERS }, sender));
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

it(
  'keeps the heap flat through a soak of requests to unknown slugs',
  async () => {
    const warmUp = new Map<string, number>();
    await run(WARM_UP_MS, warmUp);
    const retained = async () => (await retainedHeap(web.heapAfterGc)).heapUsed;
    const start = await retained();
    const samples = [start];

    const counts = new Map<string, number>();
    const started = Date.now();
    while (Date.now() - started < SOAK_MS) {
      await run(Math.min(SAMPLE_EVERY_MS, SOAK_MS - (Date.now() - started)), counts);
      samples.push(await retained());
    }
    const end = samples.at(-1)!;
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    console.info(
      `soak: ${total} requests in ${Math.round((Date.now() - started) / 1000)} s; ` +
        `heap after GC ${samples.map(mb).join(' → ')}; ${JSON.stringify(Object.fromEntries(counts))}`,
    );

    expect(total).toBeGreaterThan(SOAK_MS / 100); // it did send: more than 10 requests a second
    expect(end).toBeLessThanOrEqual(start * 1.1);
    expect([...counts.keys()].sort()).toEqual([
      'genuine 200 success',
      'stranger 404 E_UNKNOWN_BRAND',
      'stranger 414 E_URL_TOO_LONG',
    ]);
  },
  SOAK_MS + WARM_UP_MS + 120_000,
);
