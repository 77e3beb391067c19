/**
 * The web server's front door, in front of Remix: a state-changing request a browser sent
 * from another site is answered 403 with a sentence here. (Remix checks `Origin` itself, but
 * answers a mismatch with an empty 500, before any action could say anything.) The WeChat
 * callback and the bearer-token API are called by servers, not browsers: they pass.
 *
 * Both servers call it first: `npm start` (server.js) and the dev server (vite.config.ts),
 * through the server build's entry (`entry.server.tsx` re-exports it).
 */
import { translator } from '~/i18n/config';
import { resolveLanguage } from '~/i18n/language.server';
import { isCrossSite } from './body.server';
import { refusalJson } from './guard.server';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Server-to-server doors with their own authentication (signatures, bearer keys). */
const EXEMPT = /^\/(wechat|api)\//;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** null: let the request in. Otherwise the answer refusing it. */
export function frontDoor(request: Request): Response | null {
  if (!STATE_CHANGING.has(request.method)) return null;
  const url = new URL(request.url);
  if (EXEMPT.test(url.pathname) || !isCrossSite(request)) return null;
  const wantsJson =
    url.pathname.endsWith('.data') ||
    /json/i.test(request.headers.get('content-type') ?? '') ||
    /json/i.test(request.headers.get('accept') ?? '');
  if (wantsJson) return refusalJson(request, { status: 403, reason: 'crossSite' });
  const lang = resolveLanguage(request);
  const t = translator(lang);
  const html = `<!DOCTYPE html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t('errors.refusedTitle'))} · Fanfare</title></head>
<body><main class="error-view"><p class="error-view__status">${escapeHtml(t('errors.status', { status: 403 }))}</p>
<h1 id="error-title">${escapeHtml(t('errors.refusedTitle'))}</h1>
<p class="error-view__body">${escapeHtml(t('errors.refused.crossSite'))}</p>
<p><a href="/">${escapeHtml(t('errors.backHome'))}</a></p></main></body></html>`;
  return new Response(html, {
    status: 403,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  });
}
