/**
 * Reading what a request sends, bounded: every body is read with a size cap (declared or
 * streamed — a chunked body past the cap is cut off and answered 413), must have the media
 * type the route takes (415), must parse (400), and a form must hold no text the database
 * cannot store (400). And a state-changing request from a browser must come from our own
 * pages (403). Refusals are values with a reason; ./guard.server turns them into answers.
 * (Relative imports only: the events API and its tests load this without the app's aliases.)
 */
import { textProblem } from '../../../engine/index';

export type RefusalReason =
  | 'crossSite'
  | 'tooLarge'
  | 'notJson'
  | 'badJson'
  | 'notForm'
  | 'badForm'
  | 'badText'
  | 'unreadable';

export interface Refusal {
  status: 400 | 403 | 413 | 415;
  reason: RefusalReason;
  /** For `tooLarge`: the cap, in bytes. */
  maxBytes?: number;
}

export type Read<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };

export const KiB = 1024;
export const MiB = 1024 * KiB;
/** Forms of the resource pages, the language switch, the flow list. */
export const MAX_FORM_BYTES = 64 * KiB;

const refuse = (status: Refusal['status'], reason: RefusalReason, maxBytes?: number) =>
  ({ ok: false, refusal: { status, reason, ...(maxBytes ? { maxBytes } : {}) } }) as const;

/** "64 KiB", "2 MiB": a cap as a sentence says it. */
export function formatBytes(bytes: number): string {
  return bytes >= MiB && bytes % MiB === 0 ? `${bytes / MiB} MiB` : `${Math.ceil(bytes / KiB)} KiB`;
}

/**
 * True when a browser sent this request from another site. `Sec-Fetch-Site` is set by the
 * browser itself (every current one); older browsers send `Origin` on every POST, compared
 * with the host the request was made to (behind a proxy, `X-Forwarded-Host` decides the
 * request URL's host). Requests with neither come from programs, which hold no victim's
 * cookies to misuse.
 */
export function isCrossSite(request: Request): boolean {
  const site = request.headers.get('sec-fetch-site');
  if (site) return site !== 'same-origin' && site !== 'none';
  const origin = request.headers.get('origin');
  if (origin === null) return false;
  try {
    return new URL(origin).host !== new URL(request.url).host;
  } catch {
    return true; // "null" (a sandboxed or privacy-sensitive context) and garbage
  }
}

/** The body's bytes, or `tooLarge` as soon as they pass `maxBytes` (the rest is not read). */
export async function readBytes(
  request: Request,
  maxBytes: number,
): Promise<Read<Uint8Array<ArrayBuffer>>> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > maxBytes) return refuse(413, 'tooLarge', maxBytes);
  if (!request.body) return { ok: true, value: new Uint8Array() };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        void reader.cancel().catch(() => {});
        return refuse(413, 'tooLarge', maxBytes);
      }
      chunks.push(value);
    }
  } catch {
    return refuse(400, 'unreadable');
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return { ok: true, value: bytes };
}

const mediaType = (request: Request) =>
  (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();

/** A JSON body (`application/json` or `…+json`), parsed. */
export async function readJson(request: Request, maxBytes: number): Promise<Read<unknown>> {
  if (!/^application\/([\w.-]+\+)?json$/.test(mediaType(request))) return refuse(415, 'notJson');
  const bytes = await readBytes(request, maxBytes);
  if (!bytes.ok) return bytes;
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes.value);
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return refuse(400, 'badJson');
  }
}

/** A submitted form (URL-encoded or multipart), with no field holding unstorable text. */
export async function readForm(request: Request, maxBytes: number): Promise<Read<FormData>> {
  const type = mediaType(request);
  if (type !== 'application/x-www-form-urlencoded' && type !== 'multipart/form-data')
    return refuse(415, 'notForm');
  const bytes = await readBytes(request, maxBytes);
  if (!bytes.ok) return bytes;
  let form: FormData;
  try {
    form = await new Response(bytes.value, {
      headers: { 'content-type': request.headers.get('content-type')! },
    }).formData();
  } catch {
    return refuse(400, 'badForm');
  }
  for (const [name, value] of form) {
    if (textProblem(name) || (typeof value === 'string' && textProblem(value)))
      return refuse(400, 'badText');
  }
  return { ok: true, value: form };
}
