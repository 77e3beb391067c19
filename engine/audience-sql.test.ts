import { describe, expect, it } from 'vitest';
import { AudienceSqlError, compileAudienceSql } from './audience-sql';

const NOW = Date.parse('2025-06-18T12:00:00Z');

describe('audience SQL (text; agreement with the engine is proven on Postgres in test/integration)', () => {
  it('builds a parameterised WHERE with $n placeholders', () => {
    const sql = compileAudienceSql(
      {
        all: [
          { fact: 'follower', path: '$.subscribed', operator: 'equal', value: true },
          { fact: 'follower', path: '$.tags', operator: 'lacksTag', value: 'vip' },
          { fact: 'follower', path: '$.lastInteractionAt', operator: 'daysAgoAtLeast', value: 30 },
        ],
      },
      { now: NOW, startAt: 2, table: 'f' },
    );
    expect(sql.text).toBe(
      '(coalesce(f.subscribed = $2::boolean, false) and not exists (select 1 from follower_tags ft where ft.follower_id = f.id and ft.tag = $3::text) and coalesce(f.last_interaction_at <= $4::timestamptz, false))',
    );
    expect(sql.params).toEqual([true, 'vip', new Date(NOW - 30 * 86_400_000).toISOString()]);
  });

  it('values are always parameters, never spliced into the text', () => {
    const sql = compileAudienceSql(
      {
        fact: 'follower',
        path: '$.city',
        operator: 'equal',
        value: "x'; drop table followers; --",
      },
      { now: NOW },
    );
    expect(sql.text).toBe('coalesce(followers.city = $1::text, false)');
    expect(sql.params).toEqual(["x'; drop table followers; --"]);
  });

  it('refuses what SQL over followers cannot answer', () => {
    expect(() =>
      compileAudienceSql(
        { fact: 'event', path: '$.scene', operator: 'equal', value: 'x' },
        { now: NOW },
      ),
    ).toThrow(AudienceSqlError);
    expect(() =>
      compileAudienceSql(
        { fact: 'follower', path: '$.nickname', operator: 'equal', value: 'x' },
        { now: NOW },
      ),
    ).toThrow(AudienceSqlError);
    expect(() =>
      compileAudienceSql(
        { fact: 'follower', path: '$.city', operator: 'equal', value: 1 },
        { now: NOW, table: 'x; --' },
      ),
    ).toThrow(AudienceSqlError);
  });
});
