import { describe, expect, it } from 'vitest';
import { parseJsonSafe } from './json';

describe('parseJsonSafe', () => {
  it('keeps msgid a string whatever its size', () => {
    expect(parseJsonSafe('{"errcode":0,"msgid":9223372036854775807}')).toEqual({
      errcode: 0,
      msgid: '9223372036854775807',
    });
    expect(parseJsonSafe('{"msgid": 12}')).toEqual({ msgid: '12' });
  });

  it('turns any unsafe integer into a string and leaves safe numbers alone', () => {
    expect(
      parseJsonSafe('{"a":[1,-2.5,1e3,12345678901234567890],"b":{"c":9007199254740993}}'),
    ).toEqual({
      a: [1, -2.5, 1000, '12345678901234567890'],
      b: { c: '9007199254740993' },
    });
  });

  it('is not fooled by keys or numbers inside strings', () => {
    expect(parseJsonSafe('{"s":"\\"msgid\\":1 and 12345678901234567890","n":3}')).toEqual({
      s: '"msgid":1 and 12345678901234567890',
      n: 3,
    });
  });

  it('throws on invalid JSON', () => {
    expect(() => parseJsonSafe('{"a":')).toThrow();
  });
});
