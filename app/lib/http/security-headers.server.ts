/**
 * The security headers of every response of the web app — the one place they are written.
 *
 * - Documents (`entry.server.tsx` › handleRequest) get a Content-Security-Policy with a fresh
 *   nonce per request, the one `<Scripts>`, `<ScrollRestoration>` and `<RemixServer>` put on
 *   Remix's inline hydration scripts; every other script is one of the app's own modules.
 * - Data requests (`handleDataRequest`) and everything Remix answers without the entry (resource
 *   routes: the WeChat callback, the events API, QR images, health) and the front door's
 *   refusals get the same headers without a nonce: the servers fill in whatever a response
 *   lacks (server/front-door.js › securityHeadersMiddleware, before anything else).
 *
 * Styles: the app's stylesheets are files; React Flow and a few components set `style`
 * attributes (server-rendered, so the browser applies them as attributes), hence
 * `style-src-attr 'unsafe-inline'` — attributes cannot load anything or match selectors.
 * `<style>` elements stay blocked in production. Under Vite's dev server, Remix inlines the
 * critical CSS in a `<style>` without a nonce and Vite's client talks over a websocket: dev
 * allows both. HSTS only in production (a browser ignores it over plain HTTP anyway).
 */
import { randomBytes } from 'node:crypto';

export interface SecurityHeaderOptions {
  /** The request's path: the WeChat callback gets `Referrer-Policy: no-referrer`. */
  pathname: string;
  /** A document's script nonce (createNonce); absent for every other response. */
  nonce?: string;
  /** The built app under `npm start`; false under Vite's dev server and the tests. */
  production: boolean;
}

/** 128 random bits, base64: a nonce no page can guess. */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

/** The WeChat callback (`/wechat/:brand`): its answers never tell anyone where they came from. */
const WECHAT_CALLBACK = /^\/wechat\//;

export function contentSecurityPolicy({
  nonce,
  production,
}: Omit<SecurityHeaderOptions, 'pathname'>): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'", ...(nonce ? [`'nonce-${nonce}'`] : [])],
    'style-src': production ? ["'self'"] : ["'self'", "'unsafe-inline'"],
    'style-src-attr': ["'unsafe-inline'"],
    // QR codes are drawn as SVG data URLs (services/qr).
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    'connect-src': production ? ["'self'"] : ["'self'", 'ws:', 'wss:'],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/** Every security header of a response, by name. */
export function securityHeaders(options: SecurityHeaderOptions): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(options),
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': WECHAT_CALLBACK.test(options.pathname) ? 'no-referrer' : 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
    'Cross-Origin-Opener-Policy': 'same-origin',
    ...(options.production ? { 'Strict-Transport-Security': 'max-age=31536000' } : {}),
  };
}

/**
 * Sets each security header `headers` lacks (a route's own choice stands, e.g. an invitation
 * page's `no-referrer`) — except a document's policy, which must carry its scripts' nonce.
 */
export function fillSecurityHeaders<H extends Headers>(
  headers: H,
  options: SecurityHeaderOptions,
): H {
  for (const [name, value] of Object.entries(securityHeaders(options)))
    if (!headers.has(name) || (options.nonce && name === 'Content-Security-Policy'))
      headers.set(name, value);
  return headers;
}
