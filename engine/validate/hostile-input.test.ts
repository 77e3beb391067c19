/**
 * Documents the database cannot store, rules it cannot count and parameter defaults the brand
 * lacks: each refused by validation with a sentence (issue 14, items 6, 7 and 13), so no door
 * — editor save, publish, `flow import` — reaches a database error.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../compile';
import { FlowInvalidError, hasErrors, type Issue } from '../issues';
import { isBirthday } from '../schema/birthday';
import { FlowDraft } from '../schema/document';
import { MAX_CONDITIONS, MAX_IN_VALUES, Rules } from '../schema/rules';
import { textProblem, unstorable } from '../schema/storable';
import { validate } from './index';

const NUL = '\u0000';
const LONE_HIGH = '\uD83D'; // the first half of 😀
const LONE_LOW = '\uDE00'; // its second half

function doc(): Record<string, unknown> & { nodes: Record<string, unknown>[] } {
  return {
    format: 'fanfare.flow/v1',
    name: 'Welcome',
    parameters: [{ name: 'pool', kind: 'couponPool', label: 'Welcome pool', default: 'welcome' }],
    nodes: [
      { id: 'n1', kind: 'trigger.keyword', label: 'Says hi', config: { keywords: ['hi'] } },
      {
        id: 'n2',
        kind: 'condition.rules',
        label: 'Is local',
        config: {
          rules: {
            all: [{ fact: 'follower', path: '$.city', operator: 'equal', value: 'Shanghai' }],
          },
        },
      },
      {
        id: 'n3',
        kind: 'action.coupon',
        label: 'Give coupon',
        config: { pool: '{{params.pool}}' },
      },
      { id: 'n4', kind: 'flow.end' },
    ],
    edges: [
      { id: 'e1', from: 'n1', to: 'n2' },
      { id: 'e2', from: 'n2', port: 'yes', to: 'n3' },
      { id: 'e3', from: 'n2', port: 'no', to: 'n4' },
      { id: 'e4', from: 'n3', to: 'n4' },
    ],
  };
}

const brand = { tags: [], couponPools: ['welcome'], menus: [], templates: [] };
const errors = (issues: Issue[]) => issues.filter((i) => i.severity === 'error');

describe('text PostgreSQL cannot store', () => {
  it.each([
    ['plain text', 'hello 你好 😀', null],
    ['U+0000', `a${NUL}b`, 'nul'],
    ['a lone high surrogate', `a${LONE_HIGH}`, 'surrogate'],
    ['a lone low surrogate', `${LONE_LOW}b`, 'surrogate'],
    ['reversed halves', `${LONE_LOW}${LONE_HIGH}`, 'surrogate'],
    ['a whole emoji', `${LONE_HIGH}${LONE_LOW}`, null],
  ])('%s → %s', (_, text, expected) => {
    expect(textProblem(text)).toBe(expected);
  });

  it('finds keys, array items and deep nesting without recursing', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(unstorable({ ok: [1, 'x', { [`k${NUL}`]: 1 }], deep }, { maxDepth: 10 })).toEqual([
      { path: ['ok', 2, `k${NUL}`], problem: 'nul' },
      { path: ['deep', 0, 0, 0], problem: 'depth' },
    ]);
  });

  const where: [string, (d: ReturnType<typeof doc>, bad: string) => void, Partial<Issue>][] = [
    ['the flow name', (d, bad) => (d.name = `Wel${bad}come`), { code: 'E_FORMAT', path: '/name' }],
    [
      'a step label',
      (d, bad) => (d.nodes[0]!.label = `Says${bad}`),
      { code: 'E_FORMAT', path: '/nodes/0/label', nodeId: 'n1' },
    ],
    [
      'a keyword',
      (d, bad) => (d.nodes[0]!.config = { keywords: [`h${bad}i`] }),
      { code: 'E_CONFIG', path: '/nodes/0/config/keywords/0', nodeId: 'n1' },
    ],
    [
      'a rule value',
      (d, bad) =>
        (d.nodes[1]!.config = {
          rules: { fact: 'follower', path: '$.city', operator: 'equal', value: bad },
        }),
      { code: 'E_CONFIG', path: '/nodes/1/config/rules/value', nodeId: 'n2' },
    ],
    [
      'a key inside a config',
      (d, bad) => (d.nodes[0]!.config = { keywords: ['hi'], [bad]: 1 }),
      { code: 'E_CONFIG', nodeId: 'n1' },
    ],
    [
      'a parameter default',
      (d, bad) => ((d.parameters as { default: string }[])[0]!.default = bad),
      { code: 'E_FORMAT', path: '/parameters/0/default' },
    ],
  ];

  describe.each([
    ['U+0000', NUL],
    ['a lone surrogate', LONE_HIGH],
  ])('%s', (_, bad) => {
    it.each(where)(
      'in %s: an error in marketer words, and FlowDraft refuses it',
      (_, put, expected) => {
        const d = doc();
        put(d, bad);
        const issues = validate(d);
        expect(errors(issues)).toHaveLength(1);
        expect(issues[0]).toMatchObject({ severity: 'error', ...expected });
        const { en, 'zh-CN': zh } = issues[0]!.message;
        expect(en).toMatch(/cannot be saved/);
        expect(zh).toMatch(/无法保存/);
        // Never a raw pointer or a node id in the sentence.
        expect(en).not.toMatch(/nodes\/|\bn1\b|\bn2\b/);
        expect(FlowDraft.safeParse(d).success).toBe(false);
        expect(() => compile(d)).toThrow(FlowInvalidError);
      },
    );
  });

  it('a config nested 20,000 deep is refused (E_CONFIG), not a stack overflow', () => {
    let deep: unknown = {};
    for (let i = 0; i < 20_000; i++) deep = { a: deep };
    const d = doc();
    d.nodes[0]!.config = { keywords: ['hi'], extra: deep };
    const issues = validate(d);
    expect(issues).toMatchObject([{ code: 'E_CONFIG', nodeId: 'n1' }]);
    expect(issues[0]!.message.en).toMatch(/nested too deeply/);
  });
});

describe('rules bounded to what SQL can count', () => {
  const leaf = (operator: string, value: unknown, path = '$.city') => ({
    fact: 'follower',
    path,
    operator,
    value,
  });
  it.each([
    ['daysAgoAtMost 1e6', leaf('daysAgoAtMost', 1e6, '$.lastPurchaseAt'), /36,500/],
    ['daysAgoAtLeast 36,501', leaf('daysAgoAtLeast', 36_501, '$.lastPurchaseAt'), /36,500/],
    [
      '70,000 `in` values',
      leaf(
        'in',
        Array.from({ length: 70_000 }, (_, i) => `c${i}`),
      ),
      /1,000/,
    ],
    [
      '1,001 `notIn` values',
      leaf('notIn', Array.from({ length: MAX_IN_VALUES + 1 }, String)),
      /1,000/,
    ],
    [
      '51 conditions',
      { any: Array.from({ length: MAX_CONDITIONS + 1 }, (_, i) => leaf('equal', `c${i}`)) },
      /50 conditions/,
    ],
    [
      'a radius beyond the Earth',
      { fact: 'event', operator: 'withinRadius', value: { lat: 0, lng: 0, radiusM: 3e7 } },
      /20,000 km/,
    ],
    ['U+0000 in a value', leaf('equal', `Shang${NUL}hai`), /cannot be saved/],
  ])('%s is refused with its bound', (_, rules, message) => {
    const parsed = Rules.safeParse(rules);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.message).join(' ')).toMatch(message);
    // Inside a flow, the same rule is an E_CONFIG on its step.
    const d = doc();
    d.nodes[1]!.config = { rules };
    const issues = errors(validate(d));
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.every((i) => i.code === 'E_CONFIG' && i.nodeId === 'n2')).toBe(true);
  });

  it.each([
    ['daysAgoAtMost 36,500', leaf('daysAgoAtMost', 36_500, '$.lastPurchaseAt')],
    ['1,000 `in` values', leaf('in', Array.from({ length: MAX_IN_VALUES }, String))],
    ['50 conditions', { all: Array.from({ length: MAX_CONDITIONS }, () => leaf('equal', 'x')) }],
  ])('%s is still accepted', (_, rules) => {
    expect(Rules.safeParse(rules).success).toBe(true);
  });
});

describe('parameter defaults at publish time', () => {
  it('a default naming a pool the brand lacks is E_UNKNOWN_RESOURCE at the parameter', () => {
    const d = doc();
    (d.parameters as { default: string }[])[0]!.default = 'vip-only';
    const issues = validate(d, brand);
    expect(issues).toMatchObject([
      { code: 'E_UNKNOWN_RESOURCE', nodeId: 'n3', path: '/parameters/0/default' },
    ]);
    expect(issues[0]!.message.en).toBe(
      '"Give coupon" (Coupon), "Coupon pool": this brand has no coupon pool "vip-only" (the default of the template parameter "Welcome pool"). Choose one it has, or create it first.',
    );
    expect(issues[0]!.message['zh-CN']).toContain('模板参数“Welcome pool”的默认值');
    // Without a brand (the editor's draft checks, `flow validate`) the template is fine.
    expect(validate(d)).toEqual([]);
  });

  it('compile accepts exactly what validate passes, defaults included', () => {
    for (const pool of ['welcome', 'vip-only']) {
      const d = doc();
      (d.parameters as { default: string }[])[0]!.default = pool;
      const ok = !hasErrors(validate(d, brand));
      expect(ok).toBe(pool === 'welcome');
      if (ok) expect(compile(d, { brand }).steps.n3!.config).toEqual({ pool: 'welcome' });
      else expect(() => compile(d, { brand })).toThrow(FlowInvalidError);
    }
  });

  it('a placeholder without a default is left for binding', () => {
    const d = doc();
    d.parameters = [{ name: 'pool', kind: 'couponPool' }];
    expect(validate(d, brand).filter((i) => i.code === 'E_UNKNOWN_RESOURCE')).toEqual([]);
  });
});

describe('birthdays are real calendar dates', () => {
  it.each([
    ['01-01', true],
    ['02-29', true],
    ['12-31', true],
    ['04-30', true],
    ['02-30', false],
    ['02-31', false],
    ['04-31', false],
    ['13-01', false],
    ['00-10', false],
    ['01-00', false],
    ['1-1', false],
    ['01-01 ', false],
  ])('%s → %s', (text, ok) => {
    expect(isBirthday(text)).toBe(ok);
  });

  it('the update-profile step refuses 02-31', () => {
    const d = doc();
    d.nodes[2] = {
      id: 'n3',
      kind: 'action.update_profile',
      label: 'Save birthday',
      config: { set: { birthday: '02-31' } },
    };
    expect(validate(d)).toMatchObject([
      { code: 'E_CONFIG', nodeId: 'n3', path: '/nodes/2/config/set/birthday' },
    ]);
  });
});
