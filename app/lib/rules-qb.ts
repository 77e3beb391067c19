/**
 * json-rules-engine conditions (the flow document's shape: `all` / `any` / `not` over
 * `{ fact, path, operator, value }`) to and from react-querybuilder's query objects, for the
 * visual rule builder. A rule's field is `fact:path` (e.g. `follower:$.tags`); values are
 * edited as text and turned back into the type the field holds.
 */
import type { RuleGroupType, RuleType } from 'react-querybuilder';
import {
  FOLLOWER_FIELDS,
  type FactName,
  type OperatorName,
  type RuleCondition,
  type RuleLeaf,
} from './engine';

export type FieldType = 'string' | 'boolean' | 'number' | 'timestamp' | 'tags' | 'json';

export interface RuleField {
  /** `fact:path` */
  name: string;
  fact: FactName;
  path: string;
  type: FieldType;
  /** i18n key suffix under editor.rules.fields */
  labelKey: string;
}

const followerFields: RuleField[] = Object.entries(FOLLOWER_FIELDS).map(([key, type]) => ({
  name: `follower:$.${key}`,
  fact: 'follower',
  path: `$.${key}`,
  type,
  labelKey: `follower_${key}`,
}));

const otherFields: RuleField[] = [
  {
    name: 'event:$.scene',
    fact: 'event',
    path: '$.scene',
    type: 'string',
    labelKey: 'event_scene',
  },
  { name: 'event:$.text', fact: 'event', path: '$.text', type: 'string', labelKey: 'event_text' },
  { name: 'event:$.key', fact: 'event', path: '$.key', type: 'string', labelKey: 'event_key' },
  {
    name: 'event:$.category',
    fact: 'event',
    path: '$.category',
    type: 'string',
    labelKey: 'event_category',
  },
  {
    name: 'event:$.amount',
    fact: 'event',
    path: '$.amount',
    type: 'number',
    labelKey: 'event_amount',
  },
  { name: 'event:$.name', fact: 'event', path: '$.name', type: 'string', labelKey: 'event_name' },
  {
    name: 'journey:$.coupon.code',
    fact: 'journey',
    path: '$.coupon.code',
    type: 'string',
    labelKey: 'journey_coupon_code',
  },
];

export const RULE_FIELDS: readonly RuleField[] = [...followerFields, ...otherFields];
export const fieldNamed = (name: string) => RULE_FIELDS.find((f) => f.name === name);

/** Which operators apply to which field type (the engine refuses the others for follower fields). */
export const OPERATORS_BY_TYPE: Record<FieldType, readonly OperatorName[]> = {
  string: ['equal', 'notEqual', 'in', 'notIn', 'matches'],
  boolean: ['equal', 'notEqual'],
  number: [
    'equal',
    'notEqual',
    'lessThan',
    'lessThanInclusive',
    'greaterThan',
    'greaterThanInclusive',
    'in',
    'notIn',
  ],
  timestamp: ['daysAgoAtLeast', 'daysAgoAtMost'],
  tags: ['hasTag', 'lacksTag', 'contains', 'doesNotContain'],
  json: [
    'equal',
    'notEqual',
    'in',
    'notIn',
    'contains',
    'doesNotContain',
    'lessThan',
    'greaterThan',
    'matches',
  ],
};

const isLeaf = (c: RuleCondition): c is RuleLeaf =>
  typeof c === 'object' && c !== null && 'fact' in c;

function valueToText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => valueToText(v)).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function scalarFromText(text: string, type: FieldType, operator: string): unknown {
  const trimmed = text.trim();
  const numeric =
    type === 'number' || operator === 'daysAgoAtLeast' || operator === 'daysAgoAtMost';
  if (numeric) return trimmed === '' ? null : Number(trimmed);
  if (type === 'boolean') return trimmed === 'true' ? true : trimmed === 'false' ? false : trimmed;
  return trimmed;
}

export function valueFromText(text: unknown, type: FieldType, operator: string): unknown {
  const s = typeof text === 'string' ? text : valueToText(text);
  if (operator === 'in' || operator === 'notIn') {
    return s
      .split(/[,，]/)
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => scalarFromText(part, type, operator));
  }
  return scalarFromText(s, type, operator);
}

function leafToRule(leaf: RuleLeaf): RuleType {
  return {
    field: `${leaf.fact}:${leaf.path ?? ''}`,
    operator: leaf.operator,
    value: valueToText(leaf.value),
  };
}

/** json-rules-engine → query builder. A bare leaf becomes a one-rule `and` group. */
export function toQuery(condition: RuleCondition | undefined | null): RuleGroupType {
  if (!condition || typeof condition !== 'object') return { combinator: 'and', rules: [] };
  if (isLeaf(condition)) return { combinator: 'and', rules: [leafToRule(condition)] };
  if ('not' in condition) {
    const inner = condition.not;
    if (isLeaf(inner)) return { combinator: 'and', not: true, rules: [leafToRule(inner)] };
    return { ...toQuery(inner), not: true };
  }
  const combinator = 'all' in condition ? 'and' : 'or';
  const children = 'all' in condition ? condition.all : condition.any;
  return {
    combinator,
    rules: (children ?? []).map((c) => (isLeaf(c) ? leafToRule(c) : toQuery(c))),
  };
}

function ruleToLeaf(rule: RuleType): RuleLeaf {
  const at = rule.field.indexOf(':');
  const fact = (at > 0 ? rule.field.slice(0, at) : rule.field) as FactName;
  const path = at > 0 ? rule.field.slice(at + 1) : '';
  const type = fieldNamed(rule.field)?.type ?? 'string';
  const leaf: RuleLeaf = {
    fact,
    operator: rule.operator as OperatorName,
    value: valueFromText(rule.value, type, rule.operator),
  };
  if (path) leaf.path = path;
  return leaf;
}

/** Query builder → json-rules-engine. A negated one-rule group becomes `{ not: leaf }`. */
export function fromQuery(group: RuleGroupType): RuleCondition {
  const children = group.rules
    .filter((r): r is RuleType | RuleGroupType => typeof r !== 'string')
    .map((r) => ('rules' in r ? fromQuery(r) : ruleToLeaf(r)));
  if (group.not && children.length === 1 && isLeaf(children[0]!)) return { not: children[0]! };
  const body: RuleCondition = group.combinator === 'or' ? { any: children } : { all: children };
  return group.not ? { not: body } : body;
}

/** Whether every leaf uses the follower fact (only those can be counted in SQL). */
export function followerOnly(condition: RuleCondition): boolean {
  if (isLeaf(condition)) return condition.fact === 'follower';
  if ('not' in condition) return followerOnly(condition.not);
  return ('all' in condition ? condition.all : condition.any).every(followerOnly);
}
