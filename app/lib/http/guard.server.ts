/**
 * The one door for every state-changing request of the web app (each route action starts
 * here; the WeChat callback and the bearer-token events API have their own): bodies are read
 * with a size cap (413), in the media type the route takes (415), and must parse (400) — each
 * answered with a sentence in the reader's language, before anything is read from or written
 * to the database. Cross-site browser requests are refused (403) by the front door before
 * Remix (./front-door.server); the same check here holds wherever that door is not in front.
 */
import { data } from '@remix-run/node';
import { translator } from '~/i18n/config';
import { resolveLanguage } from '~/i18n/language.server';
import type { ErrorReason } from '~/lib/route-errors';
import {
  formatBytes,
  isCrossSite,
  MAX_FORM_BYTES,
  MiB,
  readForm,
  readJson,
  type Refusal,
} from './body.server';

/** A flow document (draft save, publish) or a rule set (audience estimate). */
export const MAX_DOCUMENT_BYTES = 2 * MiB;

const crossSite: Refusal = { status: 403, reason: 'crossSite' };

/** The reason a form route throws; the route's ErrorBoundary says it (components/error-view). */
function thrown(refusal: Refusal): never {
  const reason: ErrorReason = {
    reason: 'refused',
    why: refusal.reason,
    ...(refusal.maxBytes ? { limit: formatBytes(refusal.maxBytes) } : {}),
  };
  throw data(reason, { status: refusal.status });
}

/**
 * The submitted form of a page's action. A refusal is thrown as a response the route's error
 * boundary shows with its sentence (no JavaScript needed to read it).
 */
export async function formAction(
  request: Request,
  options: { maxBytes?: number } = {},
): Promise<FormData> {
  if (isCrossSite(request)) thrown(crossSite);
  const form = await readForm(request, options.maxBytes ?? MAX_FORM_BYTES);
  if (!form.ok) thrown(form.refusal);
  return form.value;
}

/**
 * The JSON body of an editor endpoint, or the JSON answer refusing it:
 * `{ ok: false, error: <reason>, message }` with the refusal's status.
 */
export async function jsonAction(
  request: Request,
  options: { maxBytes?: number } = {},
): Promise<{ ok: true; body: unknown } | { ok: false; response: Response }> {
  const read = isCrossSite(request)
    ? ({ ok: false, refusal: crossSite } as const)
    : await readJson(request, options.maxBytes ?? MAX_DOCUMENT_BYTES);
  if (read.ok) return { ok: true, body: read.value };
  return { ok: false, response: refusalJson(request, read.refusal) };
}

export function refusalJson(request: Request, refusal: Refusal): Response {
  const t = translator(resolveLanguage(request));
  const { reason } = refusal;
  const message =
    reason === 'tooLarge'
      ? t('errors.refused.tooLarge', { limit: formatBytes(refusal.maxBytes ?? 0) })
      : t(`errors.refused.${reason}`);
  return Response.json({ ok: false, error: reason, message }, { status: refusal.status });
}

/** True when `error` is `formAction`'s refusal for `why` (a route may answer some itself). */
export function refusedAs(error: unknown, why: Refusal['reason']): boolean {
  const thrownData = (error as { data?: unknown } | null)?.data;
  return (thrownData as { reason?: unknown; why?: unknown } | undefined)?.reason === 'refused'
    ? (thrownData as { why?: unknown }).why === why
    : false;
}
