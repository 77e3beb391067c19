import { describe, expect, it } from 'vitest';
import { Rules, type RuleCondition } from './engine';
import { fromQuery, toQuery, valueFromText } from './rules-qb';

const cases: [string, RuleCondition][] = [
  ['a tag', { all: [{ fact: 'follower', path: '$.tags', operator: 'hasTag', value: 'vip' }] }],
  [
    'nested any inside all, numbers and lists',
    {
      all: [
        { fact: 'follower', path: '$.points', operator: 'greaterThanInclusive', value: 100 },
        {
          any: [
            { fact: 'follower', path: '$.city', operator: 'in', value: ['上海', '北京'] },
            { fact: 'event', path: '$.scene', operator: 'matches', value: '^cup' },
          ],
        },
      ],
    },
  ],
  [
    'a negated leaf',
    { not: { fact: 'follower', path: '$.tags', operator: 'hasTag', value: 'blocked' } },
  ],
  [
    'a negated group',
    {
      not: {
        any: [
          { fact: 'follower', path: '$.subscribed', operator: 'equal', value: false },
          { fact: 'follower', path: '$.lastInteractionAt', operator: 'daysAgoAtLeast', value: 30 },
        ],
      },
    },
  ],
];

describe('json-rules-engine ⇄ react-querybuilder', () => {
  for (const [name, rules] of cases) {
    it(`round-trips ${name}`, () => {
      expect(Rules.safeParse(rules).success).toBe(true);
      expect(fromQuery(toQuery(rules))).toEqual(rules);
    });
  }

  it('turns a bare leaf into a one-rule group', () => {
    const leaf: RuleCondition = {
      fact: 'follower',
      path: '$.tier',
      operator: 'equal',
      value: 'gold',
    };
    expect(fromQuery(toQuery(leaf))).toEqual({ all: [leaf] });
  });

  it('reads typed values from text', () => {
    expect(valueFromText('12', 'number', 'greaterThan')).toBe(12);
    expect(valueFromText('a, b，c', 'string', 'in')).toEqual(['a', 'b', 'c']);
    expect(valueFromText('true', 'boolean', 'equal')).toBe(true);
    expect(valueFromText('7', 'timestamp', 'daysAgoAtMost')).toBe(7);
  });

  it('an empty builder is an empty group (which validation refuses)', () => {
    expect(fromQuery({ combinator: 'and', rules: [] })).toEqual({ all: [] });
    expect(Rules.safeParse({ all: [] }).success).toBe(false);
  });
});
