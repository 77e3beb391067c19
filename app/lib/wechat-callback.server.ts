/**
 * GET|POST /wechat/:brand — bound → verify → decrypt → parse and validate → record (replay
 * guard, follower + event, once) → answer `success`. Journeys start from the outbox, never
 * inside this request, so the answer stays well within WeChat's 5 seconds and nothing is lost
 * while Temporal is down.
 *
 * Anyone can reach this URL, so nothing a stranger sends may grow the process: the URL and
 * the headers are bounded (414, 431), the body is kept up to its limit and the rest dropped
 * (413), and only brands that exist are cached, in a bounded LRU. Every refusal
 * is a status with `CODE: sentence` and stores nothing; a push that passed validation is stored.
 */
import { LRUCache } from 'lru-cache';
import type { Logger } from '../../config/logger';
import { BRAND_SLUG, loadBrandAccount, type BrandAccount } from '../../services/brands/account';
import { claimNonce, pruneNonces } from '../../services/wechat/callback-nonces';
import { isDatabaseUnavailable, type Db } from '../../db/client';
import { groupCommitFor } from '../../db/group-commit';
import type { SecretBox } from '../../services/secrets';
import { wakeDispatcher } from '../../services/events/outbox';
import { recordInbound } from '../../services/wechat/inbound';
import { recordMassJobReport } from '../../services/wechat/mass-reports';
import { ACK_BODY, TIMESTAMP_TOLERANCE_SECONDS, handleCallback } from '../../wechat/callback';
import { MAX_XML_BYTES } from '../../wechat/xml';

export interface CallbackDeps {
  db: Db;
  box: SecretBox;
  logger: Logger;
}

export const CALLBACK_LIMITS = {
  /**
   * Path and query: WeChat's are a few hundred bytes (`/wechat/<slug>?signature&timestamp&nonce
   * &openid`, plus `encrypt_type&msg_signature` when encrypted). Node refuses a request line and
   * headers over 16 KiB together with 431 before any of this code runs.
   */
  urlBytes: 2048,
  /** All request headers, names and values: WeChat sends a handful. */
  headerBytes: 8192,
  /** The body: a push is a few KiB. */
  bodyBytes: MAX_XML_BYTES,
  /**
   * How long the rest of an oversized body is read and dropped after the 413 ("lingering
   * close"), so the client reads the answer instead of a reset; then the connection is dropped.
   */
  drainMs: 10_000,
  /** Brands whose accounts are kept (decrypted) in memory, the most recently used. */
  cachedBrands: 1000,
  cacheTtlMs: 30_000,
} as const;

/** Only brands that exist: an unknown slug costs one indexed lookup and leaves nothing behind. */
const accounts = new LRUCache<string, BrandAccount>({
  max: CALLBACK_LIMITS.cachedBrands,
  ttl: CALLBACK_LIMITS.cacheTtlMs,
});

/** How many brands the process holds in memory now (tests assert the bound). */
export function cachedBrandCount(): number {
  return accounts.size;
}

async function account(deps: CallbackDeps, slug: string): Promise<BrandAccount | null> {
  const cached = accounts.get(slug);
  if (cached) return cached;
  const loaded = await loadBrandAccount(deps.db, deps.box, { slug });
  if (loaded) accounts.set(slug, loaded);
  return loaded;
}

const text = (body: string, status = 200, headers: Record<string, string> = {}) =>
  new Response(body, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', ...headers },
  });

function headerBytes(request: Request): number {
  let size = 0;
  // name, ": ", value, CRLF — as they came on the wire.
  request.headers.forEach((value, name) => (size += name.length + value.length + 4));
  return size;
}

type Body =
  { ok: true; bytes: Buffer } | { ok: false; rest: ReadableStreamDefaultReader<Uint8Array> };

/** Reads the body up to `limit` bytes; past it, hands back the rest unread. */
async function readBody(request: Request, limit: number): Promise<Body> {
  const reader = request.body?.getReader();
  if (!reader) return { ok: true, bytes: Buffer.alloc(0) };
  if (Number(request.headers.get('content-length') ?? 0) > limit)
    return { ok: false, rest: reader };
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) return { ok: false, rest: reader };
    chunks.push(value);
  }
  return { ok: true, bytes: Buffer.concat(chunks) };
}

/**
 * Reads and drops the rest of a refused body while the 413 goes out, so the client reads the
 * answer on a connection it can reuse: cancelling the stream at once destroys the socket under
 * the answer (a reset). Bounded in time (`drainMs`): then the stream is cancelled and the
 * connection dropped. Reading costs us no more than the client's sending costs it.
 */
function dropRest(reader: ReadableStreamDefaultReader<Uint8Array>): void {
  const timer = setTimeout(() => void reader.cancel().catch(() => {}), CALLBACK_LIMITS.drainMs);
  timer.unref();
  void (async () => {
    for (;;) if ((await reader.read()).done) return;
  })()
    .catch(() => {}) // the client went away, or the drain was cut off
    .finally(() => clearTimeout(timer));
}

/** SQLSTATE classes that mean "this value cannot be stored" (data exception, limit exceeded). */
function isUnstorable(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^(22|54)[0-9A-Z]{3}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

const PRUNE_EVERY_MS = 60_000;
let lastPrune = 0;

/** Now and then (once a minute per process), forgets nonces no fresh push can carry any more. */
function pruneNoncesNow(deps: CallbackDeps, now: number): void {
  if (now - lastPrune < PRUNE_EVERY_MS) return;
  lastPrune = now;
  pruneNonces(deps.db, now / 1000 - 2 * TIMESTAMP_TOLERANCE_SECONDS).catch((error: unknown) =>
    deps.logger.warn({ err: error }, 'pruning callback nonces failed; retried in a minute'),
  );
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
    // A value validation let through that PostgreSQL cannot store: the transaction rolled back.
    const sqlState = isUnstorable(error);
    if (sqlState) {
      deps.logger.warn({ brand: slug, code: 'E_BAD_MESSAGE', sqlState }, 'callback rejected');
      return text(
        `E_BAD_MESSAGE: a field of the push cannot be stored (SQLSTATE ${sqlState}); nothing was recorded`,
        400,
      );
    }
    deps.logger.error({ brand: slug, code: 'E_INTERNAL', err: error }, 'callback not recorded');
    return text('E_INTERNAL: the push was not recorded because of an error on our side', 500);
  }
}

async function handle(deps: CallbackDeps, slug: string, request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.pathname.length + url.search.length > CALLBACK_LIMITS.urlBytes) {
    return text(
      `E_URL_TOO_LONG: the callback URL is over ${CALLBACK_LIMITS.urlBytes} bytes; WeChat's are a few hundred`,
      414,
    );
  }
  if (headerBytes(request) > CALLBACK_LIMITS.headerBytes) {
    return text(
      `E_HEADERS_TOO_LARGE: the request headers are over ${CALLBACK_LIMITS.headerBytes} bytes`,
      431,
    );
  }
  const brand = BRAND_SLUG.test(slug) ? await account(deps, slug) : null;
  if (!brand) {
    return text(
      BRAND_SLUG.test(slug)
        ? `E_UNKNOWN_BRAND: no brand "${slug}"`
        : 'E_UNKNOWN_BRAND: no brand has this callback URL',
      404,
    );
  }

  let body: Buffer | undefined;
  if (request.method === 'POST') {
    const read = await readBody(request, CALLBACK_LIMITS.bodyBytes);
    if (!read.ok) {
      deps.logger.warn({ brand: slug, code: 'E_XML_TOO_LARGE' }, 'callback rejected');
      dropRest(read.rest);
      return text(
        `E_XML_TOO_LARGE: the body is over ${CALLBACK_LIMITS.bodyBytes / 1024} KiB; a WeChat push is a few KiB`,
        413,
      );
    }
    body = read.bytes;
  }
  const result = handleCallback({
    method: request.method,
    query: url.searchParams,
    body,
    account: { token: brand.token, appId: brand.appId, aesKey: brand.aesKey, mode: brand.mode },
  });
  if (result.kind === 'rejected') {
    deps.logger.warn(
      { brand: slug, code: result.code, reason: result.reason },
      'callback rejected',
    );
    // A parser's message may quote the input: keep the answer a sentence, not an echo.
    return text(`${result.code}: ${result.reason.slice(0, 500)}`, result.status);
  }
  if (result.kind === 'echo') return text(result.body);

  // Shares a transaction with the callbacks arriving at the same moment (db/group-commit.ts);
  // it settles after the commit. Keyed by follower: one follower's callbacks keep their order,
  // and batches take follower locks in one order (a deadlock that still happens re-runs one).
  const outcome = await groupCommitFor(deps.db).run(
    `${brand.id}:${result.message.fromUserName}`,
    async (tx) => {
      const { message } = result;
      const claim = {
        brandId: brand.id,
        nonce: result.nonce,
        timestamp: result.timestamp,
        fingerprint: result.fingerprint,
      };
      if (!(message.kind === 'other' && message.massJob))
        return recordInbound(tx, brand.id, claim, message, { notify: 'caller' });
      // A mass send's job report comes from WeChat's assistant, not a fan: it updates the send.
      if ((await claimNonce(tx, claim)) === 'replay') return { replay: true as const };
      return {
        replay: false as const,
        recorded: await recordMassJobReport(tx, brand.id, message.massJob),
      };
    },
  );
  pruneNoncesNow(deps, Date.now());
  if (outcome.replay) {
    deps.logger.warn(
      { brand: slug, code: 'E_REPLAYED_NONCE', nonce: result.nonce, timestamp: result.timestamp },
      'callback rejected',
    );
    return text(
      `E_REPLAYED_NONCE: nonce ${result.nonce} of timestamp ${result.timestamp} already came with another push; a reused signature is refused`,
      401,
    );
  }
  const { recorded } = outcome;
  if (result.message.kind === 'other' && result.message.massJob && !recorded.id)
    deps.logger.warn(
      { brand: slug, code: 'E_UNKNOWN_MASS_SEND', msgId: result.message.massJob.msgId },
      'a mass-send job report names no send of this brand',
    );
  if (!recorded.duplicate) wakeDispatcher(deps.db);
  deps.logger.debug(
    { brand: slug, kind: result.message.kind, eventId: recorded.id, duplicate: recorded.duplicate },
    'callback recorded',
  );
  return text(ACK_BODY);
}
