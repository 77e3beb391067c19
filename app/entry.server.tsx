import { PassThrough } from 'node:stream';
import {
  createReadableStreamFromReadable,
  type ActionFunctionArgs,
  type EntryContext,
  type LoaderFunctionArgs,
} from '@remix-run/node';
import { RemixServer } from '@remix-run/react';
import { isbot } from 'isbot';
import { renderToPipeableStream } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { createI18n } from '~/i18n/config';
import { resolveLanguage } from '~/i18n/language.server';
import { env } from '~/env.server';
import { NonceContext } from '~/lib/http/nonce';
import { createNonce, fillSecurityHeaders } from '~/lib/http/security-headers.server';
import { logger } from '~/lib/logger.server';

/** The servers (server.js, vite.config.ts) call it before Remix: see lib/http/front-door.server. */
export { frontDoor } from '~/lib/http/front-door.server';

const production = env.NODE_ENV === 'production';

/**
 * The servers (server/front-door.js) fill these into every response that lacks them — resource
 * routes, static files, the front door's refusals: see lib/http/security-headers.server.
 */
export const securityHeaders = (pathname: string) =>
  fillSecurityHeaders(new Headers(), { pathname, production });

const ABORT_DELAY_MS = 5_000;
export const streamTimeout = ABORT_DELAY_MS;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  // The root loader resolves the language from the same request, so the html lang, the
  // loader data and the rendered text always agree.
  const i18n = createI18n(resolveLanguage(request));
  // Crawlers and no-JS clients get the whole document at once; browsers get the shell early.
  const readyEvent = isbot(request.headers.get('user-agent') ?? '') ? 'onAllReady' : 'onShellReady';
  // Remix's inline scripts carry it; the policy allows only them and the app's own modules.
  const nonce = createNonce();
  fillSecurityHeaders(responseHeaders, {
    pathname: new URL(request.url).pathname,
    nonce,
    production,
  });

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <I18nextProvider i18n={i18n}>
          <RemixServer
            context={remixContext}
            url={request.url}
            abortDelay={ABORT_DELAY_MS}
            nonce={nonce}
          />
        </I18nextProvider>
      </NonceContext.Provider>,
      {
        // React's own inline scripts (streamed Suspense boundaries) carry it too.
        nonce,
        [readyEvent]() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set('Content-Type', 'text/html; charset=utf-8');
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors after the shell are already logged by handleError; before it they are fatal.
          if (shellRendered) logger.error({ err: error, url: request.url }, 'render error');
        },
      },
    );
    setTimeout(abort, ABORT_DELAY_MS + 1_000);
  });
}

/** Single-fetch data responses (`*.data`): the same headers, no nonce (no document). */
export function handleDataRequest(response: Response, { request }: LoaderFunctionArgs) {
  const options = { pathname: new URL(request.url).pathname, production };
  try {
    fillSecurityHeaders(response.headers, options);
    return response;
  } catch {
    // Immutable headers (a `Response.redirect`): the same response with headers of its own.
    const copy = new Response(response.body, response);
    fillSecurityHeaders(copy.headers, options);
    return copy;
  }
}

export function handleError(error: unknown, { request }: LoaderFunctionArgs | ActionFunctionArgs) {
  // A client that navigated away aborts its request: not an error worth a log line.
  if (request.signal.aborted) return;
  logger.error({ err: error, method: request.method, url: request.url }, 'request failed');
}
