import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  createNonce,
  fillSecurityHeaders,
  securityHeaders,
} from './security-headers.server';

/** The policy as a map: directive → its sources. */
const directives = (policy: string) =>
  new Map(
    policy.split('; ').map((d) => {
      const [name, ...sources] = d.split(' ');
      return [name!, sources];
    }),
  );

describe('security headers', () => {
  it('production: strict scripts and styles, no framing, HSTS', () => {
    const headers = securityHeaders({ pathname: '/flows', nonce: 'abc123', production: true });
    expect(headers).toMatchObject({
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'same-origin',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Strict-Transport-Security': 'max-age=31536000',
    });
    expect(headers['Permissions-Policy']).toContain('camera=()');
    const csp = directives(headers['Content-Security-Policy']!);
    expect(csp.get('script-src')).toEqual(["'self'", "'nonce-abc123'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('style-src-attr')).toEqual(["'unsafe-inline'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    // Nothing anywhere allows eval or inline scripts.
    expect(headers['Content-Security-Policy']).not.toMatch(
      /unsafe-eval|script-src[^;]*unsafe-inline/,
    );
  });

  it('dev (Vite): inline <style> and the HMR websocket, no HSTS', () => {
    const headers = securityHeaders({ pathname: '/', production: false });
    expect(headers['Strict-Transport-Security']).toBeUndefined();
    const csp = directives(headers['Content-Security-Policy']!);
    expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get('connect-src')).toEqual(["'self'", 'ws:', 'wss:']);
    expect(csp.get('script-src')).toEqual(["'self'"]);
  });

  it('the WeChat callback answers with no referrer', () => {
    expect(securityHeaders({ pathname: '/wechat/cup', production: true })).toMatchObject({
      'Referrer-Policy': 'no-referrer',
    });
    expect(securityHeaders({ pathname: '/wechatty', production: true })).toMatchObject({
      'Referrer-Policy': 'same-origin',
    });
  });

  it("fills what a response lacks, keeps a route's own choice, but a document's nonce wins", () => {
    const own = new Headers({ 'Referrer-Policy': 'no-referrer', 'content-security-policy': 'x' });
    fillSecurityHeaders(own, { pathname: '/invite/t', production: false });
    expect(own.get('referrer-policy')).toBe('no-referrer');
    expect(own.get('content-security-policy')).toBe('x');
    expect(own.get('x-frame-options')).toBe('DENY');

    fillSecurityHeaders(own, { pathname: '/invite/t', nonce: 'n0', production: false });
    expect(own.get('content-security-policy')).toBe(
      contentSecurityPolicy({ nonce: 'n0', production: false }),
    );
  });

  it('nonces are fresh, 128-bit base64', () => {
    const a = createNonce();
    expect(Buffer.from(a, 'base64')).toHaveLength(16);
    expect(createNonce()).not.toBe(a);
  });
});
