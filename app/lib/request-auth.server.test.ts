import { describe, expect, it } from 'vitest';
import {
  clientAddress,
  crossSiteReason,
  loginPath,
  redirectTarget,
  wantsPage,
} from './request-auth.server';

const request = (
  method: string,
  headers: Record<string, string> = {},
  url = 'http://fanfare.test/flows',
) => new Request(url, { method, headers });

describe('crossSiteReason (CSRF by Sec-Fetch-Site, else Origin)', () => {
  it.each<[string, string, Record<string, string>, boolean]>([
    [
      'GET from anywhere',
      'GET',
      { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' },
      false,
    ],
    ['POST same-origin', 'POST', { 'Sec-Fetch-Site': 'same-origin' }, false],
    ['POST typed by the user', 'POST', { 'Sec-Fetch-Site': 'none' }, false],
    ['POST cross-site', 'POST', { 'Sec-Fetch-Site': 'cross-site' }, true],
    ['POST from a sibling subdomain', 'POST', { 'Sec-Fetch-Site': 'same-site' }, true],
    [
      'Sec-Fetch-Site wins over a matching Origin',
      'POST',
      { 'Sec-Fetch-Site': 'cross-site', Origin: 'http://fanfare.test' },
      true,
    ],
    ['older browser, same Origin', 'POST', { Origin: 'http://fanfare.test' }, false],
    ['older browser, other Origin', 'DELETE', { Origin: 'https://evil.example' }, true],
    ['older browser, other port', 'PUT', { Origin: 'http://fanfare.test:8080' }, true],
    ['an opaque origin', 'POST', { Origin: 'null' }, true],
    // Remix's node adapter builds request.url from Origin: the Host header is what counts.
    [
      'Origin equals the URL but not Host',
      'POST',
      { Origin: 'http://fanfare.test', Host: 'app.example' },
      true,
    ],
    ['Origin equals Host', 'POST', { Origin: 'https://app.example', Host: 'app.example' }, false],
    [
      'behind a proxy: X-Forwarded-Host',
      'POST',
      { Origin: 'https://app.example', Host: '10.0.0.5:3000', 'X-Forwarded-Host': 'app.example' },
      false,
    ],
    ['not a browser (no headers)', 'POST', {}, false],
  ])('%s', (_, method, headers, refused) => {
    expect(crossSiteReason(request(method, headers)) !== null).toBe(refused);
  });
});

describe('clientAddress (X-Forwarded-For, as far as trusted proxies vouch)', () => {
  it.each<[string | undefined, number, string | null]>([
    ['203.0.113.5', 0, null],
    [undefined, 1, null],
    ['203.0.113.5', 1, '203.0.113.5'],
    ['6.6.6.6, 203.0.113.5', 1, '203.0.113.5'], // a client cannot choose its address
    ['6.6.6.6, 203.0.113.5, 10.0.0.2', 2, '203.0.113.5'],
    ['203.0.113.5', 2, null],
    ['not-an-ip', 1, null],
    ['2001:db8::1', 1, '2001:db8::1'],
  ])('%s with %i hops → %s', (header, hops, expected) => {
    const headers: Record<string, string> = header ? { 'X-Forwarded-For': header } : {};
    expect(clientAddress(request('GET', headers), hops)).toBe(expected);
  });
});

describe('where an unauthenticated request goes', () => {
  it.each<[string, Record<string, string>, boolean]>([
    ['GET', { Accept: 'text/html,application/xhtml+xml' }, true],
    ['GET', { Accept: '*/*' }, true],
    ['GET', {}, true],
    ['GET', { Accept: 'application/json' }, false],
    ['GET', { Accept: 'image/png' }, false],
    ['GET', { Accept: 'image/avif,image/webp,*/*;q=0.8' }, false],
    ['GET', { Accept: 'application/json, text/html' }, true],
    ['POST', { Accept: 'text/html' }, false],
  ])('%s %j → page: %s', (method, headers, page) => {
    expect(wantsPage(request(method, headers))).toBe(page);
  });

  it('remembers the path and query on the sign-in link', () => {
    expect(loginPath(request('GET', {}, 'http://fanfare.test/flows/abc?brand=cafe'))).toBe(
      '/login?redirectTo=%2Fflows%2Fabc%3Fbrand%3Dcafe',
    );
    expect(loginPath(request('GET', {}, 'http://fanfare.test/'))).toBe('/login');
  });

  it.each<[string | null, string]>([
    ['/flows/abc?brand=cafe', '/flows/abc?brand=cafe'],
    ['https://evil.example/', '/'],
    ['//evil.example', '/'],
    ['/\t/evil.example', '/'],
    ['/login', '/'],
    ['/login?redirectTo=/x', '/'],
    ['/logout', '/'],
    ['/setup', '/'],
    ['/logins-report', '/logins-report'],
    [null, '/'],
  ])('redirectTarget(%j) = %s', (value, expected) => {
    expect(redirectTarget(value)).toBe(expected);
  });
});
