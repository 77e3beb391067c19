/**
 * Issue 14, acceptance 2 (the events API and the editor's endpoints): fast-check sends
 * arbitrary strings (U+0000, lone surrogates, dates and birthdays that do not exist),
 * numbers (NaN, ±Infinity, 1e308, amounts past every column) and nesting (up to 30,000
 * levels) through the real app in-process. Asserted for every request: never a 5xx; a refused
 * request (4xx) leaves the brand's stored data exactly as it was; an accepted one stores what
 * it says. Bounded: a fixed number of runs per door, a fixed seed per run printed on failure.
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, type DbHandle } from '../../db/client';
import { flows } from '../../db/schema';
import { SecretBox } from '../../services/secrets';
import { couponFlow, fingerprint, hostileBrand, type HostileBrand } from '../support/hostile';
import { signedInMember } from '../support/signed-in';
import { startWebApp, type WebApp } from '../support/web-app';

const RUNS = 150;
const secretKey = randomBytes(32).toString('hex');
let app: WebApp;
let handle: DbHandle;
let brand: HostileBrand;
/** An owner's session: requests reach the endpoints behind the sign-in check. */
let cookie: string;
/** The flow's editor, under its brand. */
const flow = () => `/brands/${brand.slug}/flows/${brand.flowId}`;

beforeAll(async () => {
  process.env.DATABASE_URL = inject('databaseUrl');
  process.env.FANFARE_SECRET_KEY = secretKey;
  handle = connect(inject('databaseUrl'), { max: 4 });
  brand = await hostileBrand(handle, new SecretBox(secretKey));
  ({ cookie } = await signedInMember(handle.db, brand.slug));
  app = await startWebApp();
});
afterAll(async () => {
  await app?.close();
  await handle?.close();
});

// --- what is sent ------------------------------------------------------------------------

/** Any UTF-16 code unit, lone surrogates and U+0000 included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const text = fc.oneof(
  { arbitrary: fc.string({ maxLength: 20 }), weight: 2 },
  { arbitrary: fc.string({ unit: codeUnit, maxLength: 20 }), weight: 2 },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '\u0000',
      'a\u0000b',
      '\uD800',
      '\uDFFF',
      '😀',
      '',
      '02-31',
      '02-29',
      '13-01',
      '0000-01-01T00:00:00Z',
      '2026-02-30T10:00:00+08:00',
      '9999-12-31T23:59:59Z',
      '275760-09-13T00:00:00Z',
      '2026-11-01T10:00:00+08:00',
      '(?<n>a)',
      '\\p{L}',
      'x'.repeat(300),
    ),
  },
);
const number = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(0, -0, 0.001, 1e9, 1e9 + 0.01, 1e12, 1e20, 1e308, -1, 2 ** 31, 2 ** 53),
);
const leaf = fc.oneof(text, number, fc.boolean(), fc.constant(null));
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(text, tie('value'), { maxKeys: 4 }),
  ),
})).value;
/** A value at the bottom of `depth` arrays/objects (the body stays under the API's 64 KiB). */
const nested = fc
  .tuple(fc.nat({ max: 30_000 }), leaf, fc.boolean())
  .map(([depth, inner, arrays]) => {
    let v: unknown = inner;
    for (let i = 0; i < depth; i++) v = arrays ? [v] : { a: v };
    return v;
  });
const anything = fc.oneof(leaf, json, nested);

// --- how it is sent ----------------------------------------------------------------------

function post(path: string, body: string, headers: Record<string, string> = {}) {
  return app.handle(
    new Request(`http://fanfare.test${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: 'http://fanfare.test',
        'sec-fetch-site': 'same-origin',
        cookie,
        ...headers,
      },
      body,
    }),
  );
}

/** JSON.stringify, except where it cannot (a 30,000-deep value): then the raw text. */
function encode(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return '{"unencodable":true}';
  }
}

const stored = () => fingerprint(handle, brand.id);

/** Answers per door: each door must both accept and refuse some (else the fuzz tests nothing). */
const seen = new Map<string, { accepted: number; refused: number }>();
function tally(door: string, status: number) {
  const counts = seen.get(door) ?? { accepted: 0, refused: 0 };
  if (status < 300) counts.accepted++;
  else counts.refused++;
  seen.set(door, counts);
}
function expectBothSeen(door: string) {
  const counts = seen.get(door);
  expect(counts?.accepted, `${door}: nothing accepted`).toBeGreaterThan(0);
  expect(counts?.refused, `${door}: nothing refused`).toBeGreaterThan(0);
}

/** Sends `body`; never a 5xx; a refusal stores nothing; returns the status for more checks. */
async function sendAndCheck(path: string, body: string, headers?: Record<string, string>) {
  const before = await stored();
  const response = await post(path, body, headers);
  tally(path.replace(/\?.*$/, ''), response.status);
  const answer = await response.text();
  expect(response.status, `${path} ${body.slice(0, 300)} → ${answer.slice(0, 300)}`).toBeLessThan(
    500,
  );
  if (response.status >= 400) expect(await stored()).toEqual(before);
  return { status: response.status, answer, before };
}

/** Bounded runs; FUZZ_SEED replays a reported failure (fast-check prints its seed). */
const params = {
  numRuns: RUNS,
  ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}),
  // Long inputs shrink slowly on a shared machine: report the first counterexample as is.
  endOnFailure: true,
};

describe('fuzz: the events API', () => {
  /** Valid events of each type (some replayed), with up to three fields replaced. */
  const valid = fc.constantFrom<Record<string, unknown>>(
    { type: 'purchase', openid: 'o_fuzz', orderId: 'order-1', amount: 10, items: [{ sku: 'A' }] },
    { type: 'purchase', openid: 'o_fuzz2', orderId: 'order-2', amount: 1e9 },
    { type: 'profile', openid: 'o_fuzz', birthday: '02-29', city: 'Shanghai', tier: 'gold' },
    { type: 'custom', openid: 'o_fuzz', name: 'visit', properties: { page: 'home' } },
  );
  const field = fc.constantFrom(
    'type',
    'openid',
    'orderId',
    'amount',
    'currency',
    'items',
    'occurredAt',
    'birthday',
    'city',
    'tier',
    'attributes',
    'name',
    'id',
    'properties',
  );
  // Weighted to what used to break: text, nesting and numbers where strings, objects and
  // amounts are stored.
  const value = fc.oneof(
    { arbitrary: text, weight: 5 },
    { arbitrary: number, weight: 2 },
    { arbitrary: nested, weight: 2 },
    { arbitrary: anything, weight: 1 },
    { arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), weight: 1 },
    { arbitrary: fc.dictionary(text, fc.oneof(text, nested), { maxKeys: 3 }), weight: 2 },
    {
      arbitrary: fc.array(
        fc.record({ sku: text, quantity: number, price: number }, { requiredKeys: [] }),
        { maxLength: 3 },
      ),
      weight: 1,
    },
  );
  const event = fc
    .tuple(
      valid,
      fc.array(fc.tuple(field, value), { maxLength: 3 }),
      fc.string({ unit: fc.constantFrom(...'abcdef0123456789'), maxLength: 12 }),
    )
    .map(([base, changes, salt]) => {
      const body: Record<string, unknown> = { ...base };
      // A fresh order id half the time, so purchases are stored as well as replayed.
      if (base.type === 'purchase' && salt.length % 2 === 0) body.orderId = `order-${salt}`;
      for (const [key, v] of changes) body[key] = v;
      return body;
    });

  it(`${RUNS} arbitrary events: never a 5xx; a refused one stores nothing`, async () => {
    const path = `/api/v1/brands/${brand.slug}/events`;
    const auth = { authorization: `Bearer ${brand.key}` };
    await fc.assert(
      fc.asyncProperty(event, async (body) => {
        const { status, before } = await sendAndCheck(path, encode(body), auth);
        const after = (await stored()) as { events: number };
        // 202: one event stored; 200: a replay, nothing changed.
        if (status === 202) expect(after.events).toBe((before as { events: number }).events + 1);
        if (status === 200) expect(after).toEqual(before);
      }),
      params,
    );
    expectBothSeen(path);
  });

  it('arbitrary bodies that are not even events: never a 5xx, nothing stored', async () => {
    const path = `/api/v1/brands/${brand.slug}/events`;
    const auth = { authorization: `Bearer ${brand.key}` };
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(anything.map(encode), fc.string({ unit: codeUnit })),
        async (body) => {
          const { status } = await sendAndCheck(path, body, auth);
          expect(status).toBeGreaterThanOrEqual(400);
        },
      ),
      params,
    );
  });
});

describe('fuzz: the editor endpoints', () => {
  /** A valid draft with one place replaced by something arbitrary. */
  const draft = fc
    .tuple(
      fc.constantFrom(
        ['name'],
        ['description'],
        ['nodes', 0, 'label'],
        ['nodes', 1, 'config', 'pool'],
        ['nodes', 1, 'config'],
        ['nodes', 1, 'config', 'extra'],
        ['nodes', 0, 'id'],
        ['nodes', 0, 'position'],
        ['edges', 0, 'to'],
        ['settings'],
        ['settings', 'timezone'],
        ['parameters'],
        ['nodes'],
        [],
      ),
      anything,
    )
    .map(([path, value]) => {
      if (path.length === 0) return value;
      const doc = couponFlow('Fuzzed') as Record<string, unknown>;
      let at = doc as Record<string | number, unknown>;
      for (const key of path.slice(0, -1))
        at = (at[key] ??= {}) as Record<string | number, unknown>;
      at[path[path.length - 1]!] = value;
      return doc;
    });

  it(`${RUNS} drafts: never a 5xx; a refused one leaves the stored draft as it was`, async () => {
    await fc.assert(
      fc.asyncProperty(draft, async (doc) => {
        const body = encode(doc);
        const { status } = await sendAndCheck(`${flow()}/draft`, body);
        if (status === 200) {
          const [row] = await handle.db
            .select({ draft: flows.draft })
            .from(flows)
            .where(eq(flows.id, brand.flowId));
          expect(row!.draft).toMatchObject(JSON.parse(body) as object);
        }
      }),
      params,
    );
    expectBothSeen(`${flow()}/draft`);
  });

  it(`${RUNS} publishes: never a 5xx; a refused one stores no version`, async () => {
    await fc.assert(
      fc.asyncProperty(draft, async (doc) => {
        await sendAndCheck(`${flow()}.data`, encode({ intent: 'publish', draft: doc }));
      }),
      params,
    );
    expectBothSeen(`${flow()}.data`);
  });

  /** Leaves that are countable in shape, with arbitrary values, and arbitrary leaves. */
  const follower = (path: string, operator: string, value: fc.Arbitrary<unknown>) =>
    value.map((v) => ({ fact: 'follower', path, operator, value: v }));
  const ruleLeaf = fc.oneof(
    follower('$.city', 'equal', text),
    follower('$.city', 'in', fc.array(text, { maxLength: 1200 })),
    follower('$.city', 'matches', text),
    follower('$.points', 'lessThan', number),
    follower('$.totalSpent', 'greaterThanInclusive', number),
    follower('$.lastPurchaseAt', 'daysAgoAtMost', number),
    follower('$.lastPurchaseAt', 'daysAgoAtLeast', number),
    follower('$.tags', 'hasTag', text),
    follower('$.attributes.level', 'equal', leaf),
    follower('$.attributes.level', 'in', fc.array(leaf, { maxLength: 5 })),
    follower('$.attributes.level', 'contains', leaf),
    follower('$.attributes.level', 'matches', text),
    fc.record(
      {
        fact: fc.oneof(fc.constantFrom('follower', 'event'), text),
        path: text,
        operator: text,
        value: anything,
      },
      { requiredKeys: ['fact', 'operator'] },
    ),
  );
  const rule = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', maxDepth: 4 },
      ruleLeaf,
      fc.record({ all: fc.array(tie('node'), { maxLength: 60 }) }),
      fc.record({ any: fc.array(tie('node'), { maxLength: 3 }) }),
      fc.record({ not: tie('node') }),
      anything,
    ),
  })).node;

  it(`${RUNS} audience rules: never a 5xx, never a write`, async () => {
    // Followers to count, so PostgreSQL evaluates (and may refuse) what it is given.
    await handle.sql`
      insert into followers (brand_id, openid, subscribed, city, points, attributes, last_purchase_at)
      values (${brand.id}, 'o_count_1', true, 'Shanghai', 5, '{"level": 3}', now()),
             (${brand.id}, 'o_count_2', true, '北京', 0, '{"level": "gold"}', null)
      on conflict do nothing`;
    await fc.assert(
      fc.asyncProperty(rule, async (rules) => {
        const { status } = await sendAndCheck(`${flow()}/audience`, encode({ rules }));
        expect([200, 422]).toContain(status);
      }),
      params,
    );
    expectBothSeen(`${flow()}/audience`);
  });

  it(`${RUNS} tag names: never a 5xx; a refused one creates no tag`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(text, anything), async (name) => {
        await sendAndCheck(`${flow()}/tags`, encode({ name }));
      }),
      params,
    );
    expectBothSeen(`${flow()}/tags`);
  });
});
