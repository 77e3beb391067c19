import { describe, expect, it } from 'vitest';
import { safeRedirectPath } from './safe-redirect';

describe('safeRedirectPath: only paths on this site (issue 14, items 8 and 11)', () => {
  it.each([
    ['/', '/'],
    ['/?brand=acme', '/?brand=acme'],
    ['/flows/1?brand=a#top', '/flows/1?brand=a#top'],
    ['/coupons?brand=%E7%8C%AB', '/coupons?brand=%E7%8C%AB'],
    ['/a/../b', '/b'],
    [null, '/'],
    ['', '/'],
  ])('%j → %j', (input, expected) => {
    expect(safeRedirectPath(input)).toBe(expected);
  });

  it.each([
    ['a protocol-relative URL', '//evil.example'],
    ['a backslash browsers read as a slash', '/\\evil.example'],
    ['a tab browsers drop (redirectTo=/%09/evil.example)', '/\t/evil.example'],
    ['a line feed browsers drop', '/\n/evil.example'],
    ['a header injection (CR/LF)', '/\r\nSet-Cookie: x=1'],
    ['U+0000', '/\u0000'],
    ['an absolute URL', 'https://evil.example/'],
    ['a relative path', 'flows'],
    ['javascript:', 'javascript:alert(1)'],
    ['a file', new File([], 'x')],
    ['a very long path', `/${'a'.repeat(5000)}`],
  ])('%s is refused', (_, input) => {
    expect(safeRedirectPath(input)).toBeNull();
  });
});
