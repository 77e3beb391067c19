/**
 * Connect/Express middlewares for the server build's entry (app/entry.server.tsx).
 *
 * frontDoorMiddleware asks the server build's `frontDoor`
 * (app/lib/http/front-door.server.ts, re-exported by app/entry.server.tsx) about each
 * state-changing request before Remix sees it. securityHeadersMiddleware fills the security
 * headers (app/lib/http/security-headers.server.ts, the entry's `securityHeaders`) into every
 * response that lacks them, as its head is written: static files, resource routes, the front
 * door's refusals (documents and data requests carry them already, from the entry). Both are
 * used by `npm start` (./serve.js) and by the development server (vite.config.ts), so both
 * answer alike.
 */
/* global Buffer, Headers, Request, URL */
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** What the front door reads: where the request came from, what it sends, who reads the answer. */
const FORWARDED = [
  'origin',
  'sec-fetch-site',
  'content-type',
  'accept',
  'accept-language',
  'cookie',
];

/**
 * @param {() => Promise<{ entry: { module: { frontDoor?: (request: Request) => Response | null } } }>} getBuild
 */
export function frontDoorMiddleware(getBuild) {
  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {(error?: unknown) => void} next
   */
  return async (req, res, next) => {
    if (!STATE_CHANGING.has(req.method ?? '')) return next();
    let request;
    try {
      const forwardedHost = req.headers['x-forwarded-host'];
      const host = String(
        (Array.isArray(forwardedHost) ? forwardedHost[0] : forwardedHost) ??
          req.headers.host ??
          'localhost',
      )
        .split(',')[0]
        .trim();
      const headers = new Headers();
      for (const name of FORWARDED) {
        const value = req.headers[name];
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      request = new Request(new URL(req.url ?? '/', `http://${host}`), {
        method: req.method,
        headers,
      });
    } catch {
      return next(); // an unparsable URL or header: Remix answers it
    }
    try {
      const build = await getBuild();
      const response = build.entry.module.frontDoor?.(request);
      if (!response) return next();
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      next(error);
    }
  };
}

/**
 * @param {() => Promise<{ entry: { module: { securityHeaders?: (pathname: string) => Headers } } }>} getBuild
 */
export function securityHeadersMiddleware(getBuild) {
  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {(error?: unknown) => void} next
   */
  return async (req, res, next) => {
    let securityHeaders;
    try {
      securityHeaders = (await getBuild()).entry.module.securityHeaders;
    } catch (error) {
      return next(error);
    }
    if (!securityHeaders) return next(new Error('the server build exports no securityHeaders'));
    let pathname = '/';
    try {
      pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    } catch {
      // an unparsable URL: the general policy (Remix answers it)
    }
    const writeHead = res.writeHead;
    /** @type {typeof res.writeHead} */
    const withSecurityHeaders = function (...args) {
      // Headers passed to writeHead itself take precedence over these (Node merges them so).
      for (const [name, value] of securityHeaders(pathname))
        if (!res.hasHeader(name)) res.setHeader(name, value);
      return writeHead.apply(res, /** @type {Parameters<typeof writeHead>} */ (args));
    };
    res.writeHead = withSecurityHeaders;
    next();
  };
}
