/**
 * GET|POST /wechat/:brand — verify → decrypt → parse → record (follower + event, once) →
 * answer `success`. Journeys start from the outbox, never inside this request, so the answer
 * stays well within WeChat's 5 seconds and nothing is lost while Temporal is down.
 */
import type { Logger } from '../../config/logger';
import { loadBrandAccount, type BrandAccount } from '../../db/brands';
import { isDatabaseUnavailable, type Db } from '../../db/client';
import type { SecretBox } from '../../db/secrets';
import { wakeDispatcher } from '../../db/events';
import { applyInbound } from '../../db/wechat-inbound';
import { ACK_BODY, handleCallback } from '../../wechat/callback';
import { MAX_XML_BYTES } from '../../wechat/xml';

export interface CallbackDeps {
  db: Db;
  box: SecretBox;
  logger: Logger;
}

const ACCOUNT_TTL_MS = 30_000;
const accounts = new Map<string, { account: BrandAccount | null; at: number }>();

async function account(deps: CallbackDeps, slug: string): Promise<BrandAccount | null> {
  const cached = accounts.get(slug);
  if (cached && Date.now() - cached.at < ACCOUNT_TTL_MS) return cached.account;
  const loaded = await loadBrandAccount(deps.db, deps.box, { slug });
  accounts.set(slug, { account: loaded, at: Date.now() });
  return loaded;
}

const text = (body: string, status = 200) =>
  new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });

/** Reads at most `limit + 1` bytes, so an oversized body is refused without buffering it all. */
async function readBody(request: Request, limit: number): Promise<string | null> {
  if (Number(request.headers.get('content-length') ?? 0) > limit) return null;
  const reader = request.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function handleWechatCallback(
  deps: CallbackDeps,
  slug: string,
  request: Request,
): Promise<Response> {
  try {
    return await handle(deps, slug, request);
  } catch (error) {
    // Nothing was recorded: answer fast and plainly, so WeChat retries the same push later
    // (its retries are deduplicated once the database is back).
    if (isDatabaseUnavailable(error)) {
      deps.logger.error(
        { brand: slug, code: 'E_DB_UNAVAILABLE', err: error },
        'callback not recorded',
      );
      return text(
        'E_DB_UNAVAILABLE: the database is unreachable; the push was not recorded, retry later',
        503,
      );
    }
    throw error;
  }
}

async function handle(deps: CallbackDeps, slug: string, request: Request): Promise<Response> {
  const brand = await account(deps, slug);
  if (!brand) return text(`E_UNKNOWN_BRAND: no brand "${slug}"`, 404);

  const body = request.method === 'POST' ? await readBody(request, MAX_XML_BYTES) : undefined;
  if (body === null) return text('E_XML_TOO_LARGE: body over 64 KiB', 400);
  const result = handleCallback({
    method: request.method,
    query: new URL(request.url).searchParams,
    body,
    account: { token: brand.token, appId: brand.appId, aesKey: brand.aesKey, mode: brand.mode },
  });
  if (result.kind === 'rejected') {
    deps.logger.warn(
      { brand: slug, code: result.code, reason: result.reason },
      'callback rejected',
    );
    return text(`${result.code}: ${result.reason}`, result.status);
  }
  if (result.kind === 'echo') return text(result.body);

  const recorded = await deps.db.transaction((tx) =>
    applyInbound(tx, brand.id, result.message, { notify: 'caller' }),
  );
  if (!recorded.duplicate) wakeDispatcher(deps.db);
  deps.logger.debug(
    { brand: slug, kind: result.message.kind, eventId: recorded.id, duplicate: recorded.duplicate },
    'callback recorded',
  );
  return text(ACK_BODY);
}
