/**
 * Conditions over facts, in json-rules-engine's own JSON shape (`all` / `any` / `not` and
 * `{ fact, path, operator, value }` leaves), narrowed to what we can evaluate identically in
 * memory and in SQL: three facts, simple `$.a.b` paths, fixed values, a known operator set.
 */
import { z } from 'zod';
import { bi } from './i18n';
import { FIELD_LABELS } from './field-labels';
import { checkPatternField } from './pattern';
import { storableCheck } from './storable';

export const FACTS = ['follower', 'event', 'journey'] as const;
export type FactName = (typeof FACTS)[number];

export const OPERATORS = [
  'equal',
  'notEqual',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
  'in',
  'notIn',
  'contains',
  'doesNotContain',
  'hasTag',
  'lacksTag',
  'daysAgoAtLeast',
  'daysAgoAtMost',
  'withinRadius',
  'matches',
] as const;
export type OperatorName = (typeof OPERATORS)[number];

export type FieldType = 'string' | 'boolean' | 'number' | 'timestamp' | 'tags' | 'json';

/**
 * The follower fact (docs/product.md#facts-for-conditions) and the type of each field;
 * `attributes.<key>` is free JSON.
 */
export const FOLLOWER_FIELDS = {
  openid: 'string',
  subscribed: 'boolean',
  subscribedAt: 'timestamp',
  firstSubscribedAt: 'timestamp',
  subscribeScene: 'string',
  qrScene: 'string',
  tags: 'tags',
  gender: 'string',
  province: 'string',
  city: 'string',
  birthday: 'string',
  tier: 'string',
  points: 'number',
  totalSpent: 'number',
  orderCount: 'number',
  lastPurchaseAt: 'timestamp',
  lastInteractionAt: 'timestamp',
} as const satisfies Record<string, FieldType>;
export type FollowerField = keyof typeof FOLLOWER_FIELDS;

const SIMPLE_PATH = /^\$(\.[A-Za-z_][A-Za-z0-9_]*)+$/;

/** The field type a follower path addresses, or null when the path is not a follower field. */
export function followerPathType(path: string): FieldType | null {
  if (!SIMPLE_PATH.test(path)) return null;
  const parts = path.slice(2).split('.');
  if (parts[0] === 'attributes') return parts.length === 2 ? 'json' : null;
  if (parts.length !== 1) return null;
  return (FOLLOWER_FIELDS as Record<string, FieldType>)[parts[0]!] ?? null;
}

export const Primitive = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type Primitive = z.infer<typeof Primitive>;

/**
 * Bounds that keep every rule countable in SQL (engine/audience-sql.ts): each `in` value and
 * each condition become query parameters, and PostgreSQL takes at most 65,535 per query —
 * 50 conditions × (1,000 values + 1 attribute key) stay below it. Days become timestamps,
 * which must stay within PostgreSQL's and JavaScript's calendars: 100 years back is plenty.
 */
export const MAX_IN_VALUES = 1_000;
export const MAX_CONDITIONS = 50;
export const MAX_DAYS_AGO = 36_500;
/** Half the Earth's circumference: any larger circle covers everything anyway. */
export const MAX_RADIUS_M = 20_000_000;

export const GeoCircle = z.strictObject({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  radiusM: z
    .number()
    .positive()
    .max(MAX_RADIUS_M, bi('a radius can be at most 20,000 km', '半径不能超过 20,000 公里')),
});
export type GeoCircle = z.infer<typeof GeoCircle>;

const ValueList = z
  .array(Primitive)
  .max(MAX_IN_VALUES, bi('a list can hold at most 1,000 values', '列表最多只能包含 1,000 个值'));
const DaysAgo = z
  .number()
  .min(0)
  .max(
    MAX_DAYS_AGO,
    bi('the number of days can be at most 36,500 (100 years)', '天数不能超过 36,500（100 年）'),
  );

/** What each operator compares against; also which follower field types it applies to. */
const OPERATOR_VALUE: Record<OperatorName, { value: z.ZodType; fields: readonly FieldType[] }> = {
  equal: { value: Primitive, fields: ['string', 'boolean', 'number', 'json'] },
  notEqual: { value: Primitive, fields: ['string', 'boolean', 'number', 'json'] },
  lessThan: { value: z.number(), fields: ['number', 'json'] },
  lessThanInclusive: { value: z.number(), fields: ['number', 'json'] },
  greaterThan: { value: z.number(), fields: ['number', 'json'] },
  greaterThanInclusive: { value: z.number(), fields: ['number', 'json'] },
  in: { value: ValueList, fields: ['string', 'boolean', 'number', 'json'] },
  notIn: { value: ValueList, fields: ['string', 'boolean', 'number', 'json'] },
  contains: { value: Primitive, fields: ['tags', 'json'] },
  doesNotContain: { value: Primitive, fields: ['tags', 'json'] },
  hasTag: { value: z.string().min(1), fields: ['tags'] },
  lacksTag: { value: z.string().min(1), fields: ['tags'] },
  daysAgoAtLeast: { value: DaysAgo, fields: ['timestamp'] },
  daysAgoAtMost: { value: DaysAgo, fields: ['timestamp'] },
  withinRadius: { value: GeoCircle, fields: [] },
  matches: { value: z.string().min(1), fields: ['string', 'json'] },
};

export interface RuleLeaf {
  fact: FactName;
  operator: OperatorName;
  value: unknown;
  path?: string;
  name?: string;
}
export type RuleCondition =
  | RuleLeaf
  | { all: RuleCondition[]; name?: string }
  | { any: RuleCondition[]; name?: string }
  | { not: RuleCondition; name?: string };

const MAX_DEPTH = 16;

const LeafShape = z
  .strictObject({
    fact: z.enum(
      FACTS,
      bi(
        'must be about the follower, the event or the journey',
        '只能是关于粉丝、事件或旅程的条件',
      ),
    ),
    operator: z.enum(OPERATORS, bi('unknown operator', '未知的运算符')),
    value: z.unknown(),
    path: z
      .string()
      .regex(SIMPLE_PATH, bi('is not a field a condition can read', '不是条件可以读取的字段'))
      .optional(),
    name: z.string().optional(),
  })
  .superRefine((leaf, ctx) => {
    const spec = OPERATOR_VALUE[leaf.operator];
    const value = spec.value.safeParse(leaf.value);
    // A value of the right kind but out of bounds says which bound (as written above).
    const bound = value.success ? undefined : value.error.issues.find((i) => i.code === 'too_big');
    if (bound) {
      ctx.addIssue({
        code: 'custom',
        path: ['value', ...(bound.path as (string | number)[])],
        message: bound.message,
      });
    } else if (!value.success || leaf.value === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: bi(`this operator needs a different kind of value`, '该运算符需要另一种类型的值'),
      });
    } else if (leaf.operator === 'matches') {
      // Run in memory (RE2) and in SQL (PostgreSQL): only what both accept alike.
      checkPatternField(ctx, ['value'], leaf.value as string, FIELD_LABELS.ruleValue);
    }
    if (leaf.fact === 'follower') {
      const type = leaf.path === undefined ? null : followerPathType(leaf.path);
      if (type === null) {
        ctx.addIssue({
          code: 'custom',
          path: ['path'],
          message: bi('not a follower field', '不是粉丝的字段'),
        });
      } else if (!spec.fields.includes(type)) {
        ctx.addIssue({
          code: 'custom',
          path: ['operator'],
          message: bi(
            'this operator does not apply to that follower field',
            '该运算符不适用于这个粉丝字段',
          ),
        });
      }
    }
  });

// Schemas are built lazily per depth and memoised: building zod objects is not free.
const byDepth = new Map<number, z.ZodType<RuleCondition>>();
const branchesByDepth = new Map<number, { all: z.ZodType; any: z.ZodType; not: z.ZodType }>();

function conditionAt(depth: number): z.ZodType<RuleCondition> {
  let schema = byDepth.get(depth);
  if (!schema) {
    schema = buildConditionAt(depth);
    byDepth.set(depth, schema);
  }
  return schema;
}

function buildConditionAt(depth: number): z.ZodType<RuleCondition> {
  return z.unknown().transform((input, ctx): RuleCondition => {
    if (depth > MAX_DEPTH) {
      ctx.addIssue({
        code: 'custom',
        message: bi('conditions are nested too deeply', '条件嵌套层数过多'),
      });
      return z.NEVER;
    }
    if (input === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: bi('needs at least one condition', '至少需要一个条件'),
      });
      return z.NEVER;
    }
    const schema = pickShape(input, depth);
    if (!schema) {
      ctx.addIssue({
        code: 'custom',
        message: bi(
          'is not a condition: expected a group of conditions (all of, any of, not) or one condition on a field',
          '不是有效的条件：应为条件组（全部满足、任一满足、取反）或针对某个字段的单个条件',
        ),
      });
      return z.NEVER;
    }
    const parsed = schema.safeParse(input);
    if (parsed.success) return parsed.data as RuleCondition;
    // Re-raise the branch's issues at their own paths, so the marketer sees the exact field.
    for (const iss of parsed.error.issues)
      ctx.addIssue({
        ...iss,
        code: 'custom',
        message: iss.message,
        path: iss.path as PropertyKey[],
      });
    return z.NEVER;
  });
}

function pickShape(input: unknown, depth: number): z.ZodType | null {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return null;
  if ('fact' in input || 'operator' in input) return LeafShape;
  if (!('all' in input || 'any' in input || 'not' in input)) return null;
  let branches = branchesByDepth.get(depth);
  if (!branches) {
    const name = z.string().optional();
    const inner = z.lazy(() => conditionAt(depth + 1));
    // json-rules-engine treats an empty `any` as true: an empty group is refused instead.
    const group = z
      .array(inner)
      .min(1, bi('add at least one condition to this group', '请在该条件组中至少添加一个条件'));
    branches = {
      all: z.strictObject({ all: group, name }),
      any: z.strictObject({ any: group, name }),
      not: z.strictObject({ not: inner, name }),
    };
    branchesByDepth.set(depth, branches);
  }
  if ('all' in input) return branches.all;
  if ('any' in input) return branches.any;
  return branches.not;
}

/**
 * A condition tree (a bare leaf is accepted and means `{ all: [leaf] }`). Text the database
 * cannot store is refused first (the audience estimate sends rules on their own); then the
 * tree, and at most MAX_CONDITIONS leaves in it.
 */
export const Rules: z.ZodType<RuleCondition> = z
  .unknown()
  .check(storableCheck())
  .pipe(
    conditionAt(0).superRefine((rules, ctx) => {
      if (leaves(rules).length > MAX_CONDITIONS)
        ctx.addIssue({
          code: 'custom',
          message: bi('a rule can have at most 50 conditions', '一组规则最多只能包含 50 个条件'),
        });
    }),
  );
export type Rules = RuleCondition;

export function isLeaf(c: RuleCondition): c is RuleLeaf {
  return 'fact' in c;
}

/** Every leaf of a condition tree, with its JSON path relative to the tree. */
export function leaves(
  c: RuleCondition,
  path: (string | number)[] = [],
): { leaf: RuleLeaf; path: (string | number)[] }[] {
  if (isLeaf(c)) return [{ leaf: c, path }];
  if ('all' in c) return c.all.flatMap((x, i) => leaves(x, [...path, 'all', i]));
  if ('any' in c) return c.any.flatMap((x, i) => leaves(x, [...path, 'any', i]));
  return leaves(c.not, [...path, 'not']);
}
