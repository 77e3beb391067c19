/**
 * Conditions over facts, in json-rules-engine's own JSON shape (`all` / `any` / `not` and
 * `{ fact, path, operator, value }` leaves), narrowed to what we can evaluate identically in
 * memory and in SQL: three facts, simple `$.a.b` paths, fixed values, a known operator set.
 */
import { z } from 'zod';
import { bi } from './i18n';

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

/** The follower fact (PRODUCT.md) and the type of each field; `attributes.<key>` is free JSON. */
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

export const GeoCircle = z.strictObject({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  radiusM: z.number().positive(),
});
export type GeoCircle = z.infer<typeof GeoCircle>;

/** What each operator compares against; also which follower field types it applies to. */
const OPERATOR_VALUE: Record<OperatorName, { value: z.ZodType; fields: readonly FieldType[] }> = {
  equal: { value: Primitive, fields: ['string', 'boolean', 'number', 'json'] },
  notEqual: { value: Primitive, fields: ['string', 'boolean', 'number', 'json'] },
  lessThan: { value: z.number(), fields: ['number', 'json'] },
  lessThanInclusive: { value: z.number(), fields: ['number', 'json'] },
  greaterThan: { value: z.number(), fields: ['number', 'json'] },
  greaterThanInclusive: { value: z.number(), fields: ['number', 'json'] },
  in: { value: z.array(Primitive), fields: ['string', 'boolean', 'number', 'json'] },
  notIn: { value: z.array(Primitive), fields: ['string', 'boolean', 'number', 'json'] },
  contains: { value: Primitive, fields: ['tags', 'json'] },
  doesNotContain: { value: Primitive, fields: ['tags', 'json'] },
  hasTag: { value: z.string().min(1), fields: ['tags'] },
  lacksTag: { value: z.string().min(1), fields: ['tags'] },
  daysAgoAtLeast: { value: z.number().min(0), fields: ['timestamp'] },
  daysAgoAtMost: { value: z.number().min(0), fields: ['timestamp'] },
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
      bi('the fact must be follower, event or journey', '事实必须是 follower、event 或 journey'),
    ),
    operator: z.enum(OPERATORS, bi('unknown operator', '未知的运算符')),
    value: z.unknown(),
    path: z
      .string()
      .regex(
        SIMPLE_PATH,
        bi(
          'the path must look like $.field or $.field.sub',
          '路径格式应为 $.字段 或 $.字段.子字段',
        ),
      )
      .optional(),
    name: z.string().optional(),
  })
  .superRefine((leaf, ctx) => {
    const spec = OPERATOR_VALUE[leaf.operator];
    const value = spec.value.safeParse(leaf.value);
    if (!value.success || leaf.value === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: bi(`this operator needs a different kind of value`, '该运算符需要另一种类型的值'),
      });
    } else if (leaf.operator === 'matches' && !isRegex(leaf.value as string)) {
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: bi('not a valid regular expression', '不是有效的正则表达式'),
      });
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

function isRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

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
    const schema = pickShape(input, depth);
    if (!schema) {
      ctx.addIssue({
        code: 'custom',
        message: bi(
          'expected a condition: { all: [...] }, { any: [...] }, { not: ... } or { fact, operator, value }',
          '应为条件：{ all: [...] }、{ any: [...] }、{ not: ... } 或 { fact, operator, value }',
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

/** A condition tree (a bare leaf is accepted and means `{ all: [leaf] }`). */
export const Rules: z.ZodType<RuleCondition> = conditionAt(0);
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
