/**
 * Patterns: the subset RE2 and PostgreSQL share (table cases; the agreement of the two engines
 * on it is proved against a real Postgres in test/integration/patterns-postgres.test.ts), the
 * E_CONFIG a marketer reads, and matching in linear time.
 */
import { describe, expect, it } from 'vitest';
import { AudienceSqlError, compileAudienceSql } from './audience-sql';
import { matchesEventFilters } from './match-event';
import {
  patternMatches,
  patternProblem,
  PATTERN_CONSTRUCTS,
  type PatternConstruct,
} from './patterns';
import { evaluateRules } from './rules/evaluate';
import { buildFacts } from './rules/facts';
import { validate } from './validate/index';

describe('patterns every place accepts', () => {
  it.each([
    '^store_',
    '上海|北京',
    '(?i)^vip',
    '^1[3-9]\\d{9}$',
    '^[一-龥]{2,4}$',
    '^c.t$',
    'cup(_\\d+)?$',
    '\\.\\*\\(\\)\\[\\]\\{\\}\\|\\\\',
    '[-a-z_]+',
    '[]a]',
    '[^0-9]',
    'a{2}b{1,}c{0,3}?',
    '(?:ab)+|^$',
    '\\Astart',
    'tab\\there',
  ])('%s is accepted', (source) => {
    expect(patternProblem(source)).toBeNull();
  });

  const refused: [string, PatternConstruct][] = [
    ['(?<n>Shang)hai', 'namedGroup'],
    ['(?P<n>a)', 'namedGroup'],
    ["(?'n'a)", 'namedGroup'],
    ['(?=a)b', 'lookaround'],
    ['a(?!b)', 'lookaround'],
    ['(?<=a)b', 'lookaround'],
    ['(?<!a)b', 'lookaround'],
    ['(a)\\1', 'backreference'],
    ['\\k<n>', 'backreference'],
    ['\\p{L}', 'unicodeClass'],
    ['\\P{Han}', 'unicodeClass'],
    ['\\w+', 'shorthandClass'],
    ['a\\sb', 'shorthandClass'],
    ['[\\w]', 'shorthandClass'],
    ['\\bcat\\b', 'wordBoundary'],
    ['\\ycat', 'wordBoundary'],
    ['[[:alpha:]]', 'namedClass'],
    ['[[.a.]]', 'namedClass'],
    ['[[=a=]]', 'namedClass'],
    ['a(?i)b', 'option'],
    ['(?i:a)', 'option'],
    ['(?s).', 'option'],
    ['(?>a)', 'specialGroup'],
    ['(?#note)a', 'specialGroup'],
    ['\\x41', 'characterCode'],
    ['\\u4E0A', 'characterCode'],
    ['\\0', 'characterCode'],
    ['\\cA', 'characterCode'],
    ['end\\z', 'endAnchor'],
    ['end\\Z', 'endAnchor'],
    ['\\Qa.b\\E', 'escape'],
    ['\\e', 'escape'],
    ['\\上', 'escape'],
    ['a\\', 'trailingBackslash'],
    ['a{', 'brace'],
    ['a{1', 'brace'],
    ['a{,3}', 'brace'],
    ['a{256}', 'repeatTooLarge'],
    ['a{1,300}', 'repeatTooLarge'],
    ['a{2,1}', 'repeatBackwards'],
    ['*a', 'nothingToRepeat'],
    ['^*', 'nothingToRepeat'],
    ['a|+', 'nothingToRepeat'],
    ['(*)', 'nothingToRepeat'],
    ['a**', 'nestedRepeat'],
    ['a*+', 'nestedRepeat'],
    ['a{2}{3}', 'nestedRepeat'],
    ['(a', 'unclosedGroup'],
    ['a)', 'unopenedGroup'],
    ['[a', 'unclosedClass'],
    ['[z-a]', 'rangeBackwards'],
    ['[\\d-z]', 'rangeBackwards'],
    ['a\u0000b', 'badCharacter'],
    ['a\ud800b', 'badCharacter'],
    ['a'.repeat(301), 'tooLong'],
    ['((a{100}){100}){100}', 'tooComplex'],
  ];
  it.each(refused)('%j is refused as %s', (source, construct) => {
    expect(patternProblem(source)?.construct).toBe(construct);
  });

  it('names every construct in a sentence of its own, in both languages', () => {
    expect(new Set(refused.map(([, c]) => c))).toEqual(new Set(PATTERN_CONSTRUCTS));
    for (const [source] of refused) {
      const p = patternProblem(source)!;
      expect(p.sentence.en).toMatch(/^The pattern ".*" (uses|has|ends|is|repeats) .+\.$/s);
      expect(p.sentence['zh-CN']).toMatch(/^正则表达式“.*”.+。$/s);
    }
    expect(patternProblem('(?<n>Shang)hai')!.sentence.en).toBe(
      'The pattern "(?<n>Shang)hai" uses a named group (?<name>…), which is not supported; use (…) instead.',
    );
  });
});

describe('matching', () => {
  it('runs in linear time: ^(a+)+$ against 31 a and a ! answers at once', () => {
    const text = `${'a'.repeat(31)}!`;
    const started = performance.now();
    expect(patternMatches('^(a+)+$', text)).toBe(false);
    expect(patternMatches('^(a+)+$', text.slice(0, -1))).toBe(true);
    // JavaScript's backtracking RegExp needs seconds to minutes here.
    expect(performance.now() - started).toBeLessThan(200);
  });

  it.each([
    ['a.b', 'a\nb', true], // . matches a line break, as in PostgreSQL
    ['(?i)^vip', 'VIP-1', true],
    ['^vip', 'VIP-1', false],
    ['^ab$', 'ab\n', false], // $ is the end of the text only
    ['^.{2}$', '上海', true],
    ['^.$', '😀', true],
    ['(?<n>a)', 'a', true], // not in the shared subset, but RE2 runs it: validation refuses it
    ['(?=a)', 'a', false], // RE2 cannot compile it: it never matches
  ])('%j against %j → %s', (source, text, expected) => {
    expect(patternMatches(source, text)).toBe(expected);
  });

  it('is the one engine of keyword triggers and of the matches operator', async () => {
    const slow = `${'a'.repeat(40)}!`;
    const started = performance.now();
    expect(
      matchesEventFilters(
        { type: 'keyword', keywords: ['^(a+)+$'], match: 'regex' },
        { type: 'keyword', text: slow },
      ),
    ).toBe(false);
    const facts = buildFacts({ follower: { openid: 'o', city: slow } });
    expect(
      await evaluateRules(
        { fact: 'follower', path: '$.city', operator: 'matches', value: '^(a+)+$' },
        facts,
        0,
      ),
    ).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('validation names the field and the construct', () => {
  const doc = (nodes: unknown[]) => ({ format: 'fanfare.flow/v1', name: 't', nodes, edges: [] });
  const errorsOf = (nodes: unknown[]) => validate(doc(nodes)).filter((i) => i.code === 'E_CONFIG');

  it.each([
    {
      what: 'a keyword trigger in regex mode',
      node: {
        id: 'kw',
        label: '暗号',
        kind: 'trigger.keyword',
        config: { keywords: ['ok', '(?<n>Shang)hai'], match: 'regex' },
      },
      field: { en: '"Keywords"', zh: '“关键词”' },
      construct: { en: 'named group', zh: '命名分组' },
      path: '/nodes/0/config/keywords/1',
    },
    {
      what: 'a condition',
      node: {
        id: 'c',
        kind: 'condition.rules',
        config: {
          rules: {
            all: [{ fact: 'follower', path: '$.city', operator: 'matches', value: '\\p{L}' }],
          },
        },
      },
      field: { en: '"Value"', zh: '“值”' },
      construct: { en: 'Unicode class', zh: 'Unicode 字符类' },
      path: '/nodes/0/config/rules/all/0/value',
    },
    {
      what: 'an audience',
      node: {
        id: 'a',
        kind: 'trigger.audience',
        config: {
          at: '2025-06-18T10:00:00+08:00',
          audience: { fact: 'follower', path: '$.city', operator: 'matches', value: '(?=S)S' },
        },
      },
      field: { en: '"Value"', zh: '“值”' },
      construct: { en: 'lookahead', zh: '前瞻' },
      path: '/nodes/0/config/audience/value',
    },
    {
      what: 'a keyword wait',
      node: {
        id: 'w',
        kind: 'wait.event',
        config: { event: { type: 'keyword', keywords: ['(a)\\1'], match: 'regex' }, timeout: '1d' },
      },
      field: { en: '"Keywords"', zh: '“关键词”' },
      construct: { en: 'back-reference', zh: '反向引用' },
      path: '/nodes/0/config/event/keywords/0',
    },
  ])('$what', ({ node, field, construct, path }) => {
    const [error, ...rest] = errorsOf([node]);
    expect(rest).toEqual([]);
    expect(error!.path).toBe(path);
    expect(error!.message.en).toContain(field.en);
    expect(error!.message.en).toContain(construct.en);
    expect(error!.message['zh-CN']).toContain(field.zh);
    expect(error!.message['zh-CN']).toContain(construct.zh);
    // The field by its label, never a JSON path.
    for (const text of Object.values(error!.message))
      expect(text).not.toMatch(/keywords\[|rules\.|audience\.|\/config\//);
  });

  it('a keyword list in exact mode may hold any text', () => {
    expect(
      errorsOf([
        { id: 'kw', kind: 'trigger.keyword', config: { keywords: ['(?<n>x'], match: 'exact' } },
      ]),
    ).toEqual([]);
  });

  it('the audience SQL refuses a pattern that skipped validation, before the database', () => {
    const rules = {
      fact: 'follower',
      path: '$.city',
      operator: 'matches',
      value: '(?<n>Shang)hai',
    };
    expect(() => compileAudienceSql(rules as never, { now: 0 })).toThrow(AudienceSqlError);
    try {
      compileAudienceSql(rules as never, { now: 0 });
    } catch (error) {
      expect((error as AudienceSqlError).text?.['zh-CN']).toContain('命名分组');
    }
  });
});
