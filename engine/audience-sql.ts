/**
 * The same conditions, as a parameterised WHERE over `followers` (db/schema.ts), for "this
 * branch matches ~N followers" and for selecting a broadcast audience. Pure string building:
 * the caller runs `select … from followers where brand_id = $1 and (${text})`.
 *
 * Semantics match ./rules/operators exactly (a property test on a real Postgres proves it):
 * every leaf is two-valued (NULL becomes false through coalesce/case), missing values behave
 * like null, and values of the wrong type never match instead of being coerced. `matches`
 * uses Postgres' regex (`~`) on patterns in the subset it shares with RE2 (./patterns.ts); a
 * pattern outside it (a document that skipped validation) is refused here, before the database.
 */
import type { LocalizedText } from './issues';
import { patternProblem } from './patterns';
import { DAY_MS } from './schema/duration';
import {
  type FOLLOWER_FIELDS,
  followerPathType,
  isLeaf,
  type FieldType,
  type RuleCondition,
  type RuleLeaf,
} from './schema/rules';

export interface SqlFragment {
  text: string;
  params: unknown[];
}

export interface AudienceSqlOptions {
  /** The clock for daysAgo* (workflow time or the request time). */
  now: number | Date;
  /** Number of the first placeholder (`$1` by default), to append to an existing query. */
  startAt?: number;
  /** Alias of the followers table in the caller's query. */
  table?: string;
}

export class AudienceSqlError extends Error {
  readonly code = 'E_AUDIENCE_SQL';
  /** A sentence for the marketer, when the rules themselves are at fault. */
  readonly text: LocalizedText | undefined;
  constructor(message: string, text?: LocalizedText) {
    super(message);
    this.name = 'AudienceSqlError';
    this.text = text;
  }
}

const COLUMNS: Record<keyof typeof FOLLOWER_FIELDS, string> = {
  openid: 'openid',
  subscribed: 'subscribed',
  subscribedAt: 'subscribed_at',
  firstSubscribedAt: 'first_subscribed_at',
  subscribeScene: 'subscribe_scene',
  qrScene: 'qr_scene',
  tags: 'id',
  gender: 'gender',
  province: 'province',
  city: 'city',
  birthday: 'birthday',
  tier: 'tier',
  points: 'points',
  totalSpent: 'total_spent',
  orderCount: 'order_count',
  lastPurchaseAt: 'last_purchase_at',
  lastInteractionAt: 'last_interaction_at',
};

const CAST: Partial<Record<FieldType, string>> = {
  string: 'text',
  boolean: 'boolean',
  number: 'numeric',
};
const JS_TYPE: Partial<Record<FieldType, string>> = {
  string: 'string',
  boolean: 'boolean',
  number: 'number',
};
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function compileAudienceSql(rules: RuleCondition, options: AudienceSqlOptions): SqlFragment {
  const table = options.table ?? 'followers';
  if (!IDENT.test(table)) throw new AudienceSqlError(`not a table alias: ${table}`);
  const now = typeof options.now === 'number' ? options.now : options.now.getTime();
  const params: unknown[] = [];
  const start = options.startAt ?? 1;
  const p = (value: unknown, cast: string) => {
    params.push(value);
    return `$${start + params.length - 1}::${cast}`;
  };
  /** A pattern as a parameter, once it is one PostgreSQL and RE2 read alike. */
  const pattern = (v: string) => {
    const problem = patternProblem(v);
    if (problem) throw new AudienceSqlError(problem.sentence.en, problem.sentence);
    return p(v, 'text');
  };

  const leaf = (l: RuleLeaf): string => {
    if (l.fact !== 'follower')
      throw new AudienceSqlError(`only follower facts can be counted in SQL (got ${l.fact})`);
    const type = l.path === undefined ? null : followerPathType(l.path);
    if (type === null) throw new AudienceSqlError(`not a follower field: ${l.path ?? '(no path)'}`);
    const negated = NEGATIONS[l.operator];
    const positive = negated ?? l.operator;
    const expr =
      type === 'json'
        ? jsonLeaf(positive, l.path!.split('.')[2]!, l.value)
        : columnLeaf(positive, type, l.path!.slice(2) as keyof typeof COLUMNS, l.value);
    return negated ? `not ${expr}` : expr;
  };

  const columnLeaf = (
    op: string,
    type: FieldType,
    field: keyof typeof COLUMNS,
    v: unknown,
  ): string => {
    const col = `${table}.${COLUMNS[field]}`;
    const cast = CAST[type];
    const fits = (x: unknown) => typeof x === JS_TYPE[type];
    switch (op) {
      case 'equal':
        if (v === null) return `(${col} is null)`;
        return cast && fits(v) ? `coalesce(${col} = ${p(v, cast)}, false)` : 'false';
      case 'in': {
        if (!Array.isArray(v) || !cast) return 'false';
        const parts = v.filter(fits).map((x) => `${col} = ${p(x, cast)}`);
        if (v.includes(null)) parts.push(`${col} is null`);
        return parts.length ? `coalesce(${parts.join(' or ')}, false)` : 'false';
      }
      case 'lessThan':
      case 'lessThanInclusive':
      case 'greaterThan':
      case 'greaterThanInclusive':
        if (type !== 'number') break;
        return typeof v === 'number'
          ? `coalesce(${col} ${ORDER[op]} ${p(v, 'numeric')}, false)`
          : 'false';
      case 'contains':
      case 'hasTag':
        if (type !== 'tags') break;
        return typeof v === 'string'
          ? `exists (select 1 from follower_tags ft where ft.follower_id = ${table}.id and ft.tag = ${p(v, 'text')})`
          : 'false';
      case 'daysAgoAtLeast':
      case 'daysAgoAtMost':
        if (type !== 'timestamp') break;
        if (typeof v !== 'number') return 'false';
        return `coalesce(${col} ${op === 'daysAgoAtLeast' ? '<=' : '>='} ${p(new Date(now - v * DAY_MS).toISOString(), 'timestamptz')}, false)`;
      case 'matches':
        if (type !== 'string') break;
        return typeof v === 'string' ? `coalesce(${col} ~ ${pattern(v)}, false)` : 'false';
    }
    throw new AudienceSqlError(`operator ${op} does not apply to follower field ${field}`);
  };

  const jsonLeaf = (op: string, key: string, v: unknown): string => {
    // The key becomes a parameter only once the text uses it: an unused $n has no type.
    let attr: string | null = null;
    const j = () => (attr ??= `(${table}.attributes -> ${p(key, 'text')})`);
    const eq = (x: unknown) =>
      x === null
        ? `(${j()} is null or ${j()} = 'null'::jsonb)`
        : `coalesce(${j()} = ${p(JSON.stringify(x), 'jsonb')}, false)`;
    switch (op) {
      case 'equal':
        return eq(v);
      case 'in':
        return Array.isArray(v) && v.length ? `(${v.map(eq).join(' or ')})` : 'false';
      case 'lessThan':
      case 'lessThanInclusive':
      case 'greaterThan':
      case 'greaterThanInclusive':
        if (typeof v !== 'number') return 'false';
        return `(case when jsonb_typeof(${j()}) = 'number' then (${j()} #>> '{}')::numeric ${ORDER[op]} ${p(v, 'numeric')} else false end)`;
      case 'contains':
        return `(case when jsonb_typeof(${j()}) = 'array' then ${j()} @> jsonb_build_array(${p(JSON.stringify(v), 'jsonb')}) else false end)`;
      case 'matches':
        if (typeof v !== 'string') return 'false';
        return `(case when jsonb_typeof(${j()}) = 'string' then (${j()} #>> '{}') ~ ${pattern(v)} else false end)`;
    }
    throw new AudienceSqlError(`operator ${op} does not apply to follower attributes`);
  };

  const walk = (c: RuleCondition): string => {
    if (isLeaf(c)) return leaf(c);
    if ('all' in c) return c.all.length ? `(${c.all.map(walk).join(' and ')})` : 'true';
    // json-rules-engine evaluates an empty `any` as true (validation refuses empty groups).
    if ('any' in c) return c.any.length ? `(${c.any.map(walk).join(' or ')})` : 'true';
    return `not ${walk(c.not)}`;
  };

  return { text: walk(rules), params };
}

const ORDER: Record<string, string> = {
  lessThan: '<',
  lessThanInclusive: '<=',
  greaterThan: '>',
  greaterThanInclusive: '>=',
};
const NEGATIONS: Record<string, string | undefined> = {
  notEqual: 'equal',
  notIn: 'in',
  doesNotContain: 'contains',
  lacksTag: 'hasTag',
};
