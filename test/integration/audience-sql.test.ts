/**
 * Property: for generated followers stored in a real Postgres and generated conditions,
 * the audience SQL selects exactly the followers the in-memory rules engine matches.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, type DbHandle } from '../../db/client';
import { brands, followers, followerTags } from '../../db/schema';
import {
  buildFacts,
  compileAudienceSql,
  evaluateRules,
  Rules,
  type FollowerRecord,
  type RuleCondition,
} from '../../engine/index';

const NOW = Date.parse('2025-06-18T12:00:00.000Z');
const DAY = 86_400_000;
const TAGS = ['vip', 'cat', 'dog', 'new'];

// --- population ------------------------------------------------------------------------

const arbTimestamp = fc.option(
  fc.constantFrom(0, 0.5, 1, 7, 29.999, 30, 31, 365, -2).map((d) => new Date(NOW - d * DAY)),
  { nil: null },
);
const arbAttributes = fc.record(
  {
    pet: fc.constantFrom<unknown>('cat', 'dog', 1, null, true),
    visits: fc.constantFrom<unknown>(0, 3, 3.5, '3', null),
    list: fc.constantFrom<unknown>(['a', 'b'], ['b'], [], [1, 'a'], 'a'),
  },
  { requiredKeys: [] },
);
const arbFollower = fc.record({
  subscribed: fc.boolean(),
  subscribedAt: arbTimestamp,
  lastPurchaseAt: arbTimestamp,
  lastInteractionAt: arbTimestamp,
  subscribeScene: fc.constantFrom(null, 'ADD_SCENE_QR_CODE', 'ADD_SCENE_SEARCH'),
  qrScene: fc.constantFrom(null, 'cup_1', 'store_2', 'poster'),
  gender: fc.constantFrom(null, 'male', 'female', 'other'),
  city: fc.constantFrom(null, '上海', '北京', 'Shanghai'),
  birthday: fc.constantFrom(null, '06-21', '12-31'),
  tier: fc.constantFrom(null, 'gold', 'silver'),
  points: fc.integer({ min: 0, max: 10 }),
  totalSpent: fc.constantFrom('0.00', '12.50', '99.99', '5000.00', '5230.50'),
  orderCount: fc.integer({ min: 0, max: 4 }),
  tags: fc.subarray(TAGS),
  attributes: arbAttributes,
});

// --- conditions ------------------------------------------------------------------------

const leaf = (path: string, operator: string, value: unknown) => ({
  fact: 'follower',
  path,
  operator,
  value,
});
const arbString = (path: string, values: unknown[]) =>
  fc.oneof(
    fc
      .tuple(fc.constantFrom('equal', 'notEqual'), fc.constantFrom(...values))
      .map(([op, v]) => leaf(path, op, v)),
    fc
      .tuple(fc.constantFrom('in', 'notIn'), fc.subarray(values))
      .map(([op, v]) => leaf(path, op, v)),
  );
const arbLeaf = fc.oneof(
  arbString('$.city', ['上海', '北京', null, 1]),
  arbString('$.gender', ['male', 'female', null]),
  arbString('$.tier', ['gold', 'silver', null]),
  arbString('$.qrScene', ['cup_1', 'poster', null]),
  arbString('$.birthday', ['06-21', '12-31']),
  arbString('$.subscribed', [true, false, 'true']),
  arbString('$.points', [0, 3, 10, '3', null]),
  fc
    .tuple(
      fc.constantFrom('$.points', '$.totalSpent', '$.orderCount', '$.attributes.visits'),
      fc.constantFrom('lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'),
      fc.constantFrom(0, 3, 3.5, 12.5, 5000, 5230.5),
    )
    .map(([p, op, v]) => leaf(p, op, v)),
  fc
    .tuple(
      fc.constantFrom('hasTag', 'lacksTag', 'contains', 'doesNotContain'),
      fc.constantFrom(...TAGS, 'ghost'),
    )
    .map(([op, v]) => leaf('$.tags', op, v)),
  fc
    .tuple(
      fc.constantFrom('$.subscribedAt', '$.lastPurchaseAt', '$.lastInteractionAt'),
      fc.constantFrom('daysAgoAtLeast', 'daysAgoAtMost'),
      fc.constantFrom(0, 1, 7, 30, 30.5),
    )
    .map(([p, op, v]) => leaf(p, op, v)),
  fc
    .tuple(
      fc.constantFrom('$.city', '$.qrScene', '$.attributes.pet'),
      fc.constantFrom('^上', '海$', 'cup|poster', '^c.t$', 'o+', 'S'),
    )
    .map(([p, v]) => leaf(p, 'matches', v)),
  arbString('$.attributes.pet', ['cat', 'dog', 1, true, null]),
  fc
    .tuple(fc.constantFrom('contains', 'doesNotContain'), fc.constantFrom('a', 'b', 1))
    .map(([op, v]) => leaf('$.attributes.list', op, v)),
);
const { tree: arbRules } = fc.letrec<{ tree: unknown }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    arbLeaf,
    fc.record({ all: fc.array(tie('tree'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ any: fc.array(tie('tree'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ not: tie('tree') }),
  ),
}));

// --- the property ----------------------------------------------------------------------

describe('audience SQL agrees with in-memory evaluation on a real Postgres', () => {
  let handle: DbHandle;
  beforeAll(() => {
    handle = connect(inject('databaseUrl'), { max: 2 });
  });
  afterAll(async () => {
    await handle?.close();
  });

  async function store(
    population: unknown[],
  ): Promise<{ brandId: string; records: FollowerRecord[] }> {
    const [brand] = await handle.db
      .insert(brands)
      .values({
        slug: `aud-${randomUUID().slice(0, 8)}`,
        name: 'Audience',
        appId: 'wx-aud',
        appSecretEnc: 'x',
        callbackTokenEnc: 'x',
      })
      .returning({ id: brands.id });
    const brandId = brand!.id;
    // fast-check builds null-prototype objects; the driver wants plain ones.
    const people = (
      population as (Omit<FollowerRecord, 'openid'> & {
        tags: string[];
        attributes: Record<string, unknown>;
      })[]
    ).map((f) => ({
      ...f,
      attributes: JSON.parse(JSON.stringify(f.attributes)) as Record<string, unknown>,
    }));
    if (people.length) {
      const rows = await handle.db
        .insert(followers)
        .values(
          people.map(
            ({ tags: _tags, ...f }, i) =>
              ({ ...f, openid: `o${i}`, brandId }) as typeof followers.$inferInsert,
          ),
        )
        .returning({ id: followers.id, openid: followers.openid });
      const tagRows = rows.flatMap((r, i) =>
        people[i]!.tags.map((tag) => ({ brandId, followerId: r.id, tag })),
      );
      if (tagRows.length) await handle.db.insert(followerTags).values(tagRows);
    }
    // Evaluate in memory on what Postgres stored (numeric as strings, timestamps as dates).
    const stored = await handle.db.select().from(followers).where(eq(followers.brandId, brandId));
    const tags = await handle.db
      .select()
      .from(followerTags)
      .where(eq(followerTags.brandId, brandId));
    const records = stored.map((f) => ({
      ...f,
      tags: tags.filter((t) => t.followerId === f.id).map((t) => t.tag),
    }));
    return { brandId, records };
  }

  it('for generated followers and conditions', async () => {
    let nonTrivial = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(arbFollower, { minLength: 1, maxLength: 12 }),
        fc.array(arbRules, { minLength: 1, maxLength: 8 }),
        async (population, conditions) => {
          const { brandId, records } = await store(population);
          for (const raw of conditions) {
            const rules = Rules.parse(raw) as RuleCondition;
            const expected: string[] = [];
            for (const r of records)
              if (await evaluateRules(rules, buildFacts({ follower: r }), NOW))
                expected.push(r.openid);
            const where = compileAudienceSql(rules, { now: NOW, startAt: 2, table: 'f' });
            const rows = await handle.sql.unsafe<{ openid: string }[]>(
              `select f.openid from followers f where f.brand_id = $1 and ${where.text}`,
              [brandId, ...where.params] as never[],
            );
            const actual = rows.map((r) => r.openid);
            expect(actual.sort(), JSON.stringify({ rules, where })).toEqual(expected.sort());
            if (expected.length > 0 && expected.length < records.length) nonTrivial++;
          }
        },
      ),
      { numRuns: 60 },
    );
    // The generators must produce conditions that split populations, not just all/none.
    expect(nonTrivial).toBeGreaterThan(20);
  });
});
