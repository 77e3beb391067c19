/**
 * Property: every pattern the engine accepts (engine/patterns.ts) compiles in PostgreSQL — the
 * audience SQL runs it with `~` — and PostgreSQL and RE2 (the engine's matcher) agree on
 * whether it matches, on texts with Chinese, line breaks, case and metacharacters.
 */
import fc from 'fast-check';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { patternMatches, patternProblem } from '../../engine/patterns';

const TOKENS = [
  'a',
  'b',
  'C',
  '上',
  '海',
  '😀',
  ' ',
  '_',
  '-',
  ',',
  ':',
  '1',
  '2',
  '.',
  '^',
  '$',
  '|',
  '(',
  ')',
  '(?:',
  '[',
  '[^',
  ']',
  '*',
  '+',
  '?',
  '{',
  '}',
  '\\',
  'd',
  'D',
  'n',
  't',
  'A',
  '(?i)',
  '{2}',
  '{1,3}',
  '{0,}',
  '\n',
];
const TEXTS = [
  '',
  'a',
  'abc',
  'ABC',
  'aC',
  'a\nb',
  '上海',
  '上海市',
  'aa',
  'b-c',
  ' ',
  'a.b',
  '12',
  '2',
  '😀',
  'x{2}',
  '{',
  '^$',
  'a+b',
  '[a]',
  '\\',
  '_:',
  'Ca',
  '\t',
];

describe('patterns PostgreSQL and RE2 read alike', () => {
  let sql: postgres.Sql;
  beforeAll(() => {
    sql = postgres(inject('databaseUrl'), { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await sql?.end();
  });

  const matchesInPostgres = async (source: string) => {
    const rows = await sql<{ t: string; m: boolean }[]>`
      select t, t ~ ${source}::text as m from unnest(${TEXTS}::text[]) as t`;
    return new Map(rows.map((r) => [r.t, r.m]));
  };

  it('accepted patterns compile in PostgreSQL and match the same texts', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 8 }).map((t) => t.join('')),
        async (source) => {
          if (patternProblem(source)) return;
          accepted++;
          const pg = await matchesInPostgres(source);
          for (const text of TEXTS)
            expect([source, text, patternMatches(source, text)]).toEqual([
              source,
              text,
              pg.get(text),
            ]);
        },
      ),
      { numRuns: 600 },
    );
    expect(accepted).toBeGreaterThan(100);
  });

  it.each([
    // JavaScript accepted these, so validation let them through; PostgreSQL refuses them.
    '(?<n>Shang)hai',
    '\\p{L}',
    'a(?i)b',
    '\\z',
    'a{256}',
  ])('%j, refused by the engine, is refused by PostgreSQL too', async (source) => {
    expect(patternProblem(source)).not.toBeNull();
    await expect(sql`select 'x' ~ ${source}::text`).rejects.toMatchObject({ code: '2201B' });
  });

  it.each([
    // Accepted by PostgreSQL but refused by RE2, or read differently by the two.
    ['(?=a)', 'refused by RE2'],
    ['(a)\\1', 'refused by RE2'],
    ['\\bx', 'a backspace in PostgreSQL, a word boundary in RE2'],
    ['\\w', 'Chinese characters are word characters in PostgreSQL, not in RE2'],
  ])('%j is refused by the engine: %s', async (source) => {
    expect(patternProblem(source)).not.toBeNull();
  });
});
