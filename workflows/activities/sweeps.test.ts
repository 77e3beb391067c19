/** Which sweep failures are the flow's own (recorded, not retried) and which are the database's. */
import { describe, expect, it } from 'vitest';
import { AudienceSqlError } from '../../engine/audience-sql';
import { classifySweepError } from './sweeps';

const pgError = (code: string) => Object.assign(new Error('pg'), { code });
/** drizzle wraps the driver's error. */
const wrapped = (cause: unknown) => Object.assign(new Error('Failed query'), { cause });

describe('classifySweepError', () => {
  it.each([
    ['an unreachable database', pgError('ECONNREFUSED'), null],
    ['a dropped connection, wrapped', wrapped(pgError('CONNECTION_CLOSED')), null],
    ['a server shutting down', wrapped(pgError('57P01')), null],
    ['a pattern PostgreSQL refuses', wrapped(pgError('2201B')), 'query_failed'],
    ['a bad cast in the plan', pgError('22P02'), 'query_failed'],
    ['a program limit', pgError('54001'), 'query_failed'],
    ['the statement timeout', wrapped(pgError('57014')), 'timed_out'],
    ['rules SQL cannot express', new AudienceSqlError('no'), 'invalid_rules'],
    ['a bug (retried, recorded by the workflow)', new TypeError('x is undefined'), null],
    ['Temporal unreachable', Object.assign(new Error('14 UNAVAILABLE'), { code: 14 }), null],
  ])('%s → %s', (_what, error, failure) => {
    expect(classifySweepError(error)?.failure ?? null).toBe(failure);
  });

  it("keeps the engine's sentence and the database's code", () => {
    const text = { en: 'The pattern …', 'zh-CN': '正则表达式…' };
    expect(classifySweepError(new AudienceSqlError('no', text))).toEqual({
      failure: 'invalid_rules',
      detail: { text },
    });
    expect(classifySweepError(wrapped(pgError('2201B')))?.detail).toEqual({ sqlstate: '2201B' });
  });
});
