/**
 * WechatError: one class for every way an API call can fail, so callers decide by predicate
 * (token, retryable, configuration) rather than by parsing messages.
 */
export type WechatErrorKind = 'api' | 'http' | 'timeout' | 'network' | 'parse';

export const TOKEN_ERRCODES: ReadonlySet<number> = new Set([40001, 40014, 42001]);
/** 45009 quota/frequency, -1 system busy. */
export const RETRYABLE_ERRCODES: ReadonlySet<number> = new Set([45009, -1]);

/** Sentences for codes a person must act on (the log keeps the code). */
const HINTS: Record<number, string> = {
  40164:
    'The caller IP is not on the account IP whitelist (WeChat platform › Basic configuration).',
  48001:
    'This account is not authorised for this API (check the account type and its permissions).',
  40013: 'The AppId is invalid.',
  40125: 'The AppSecret is invalid.',
  45015: 'The follower has not interacted within the allowed window.',
  45047: 'The customer-service message quota for this follower is used up.',
  43004: 'The user does not follow the account.',
};

export class WechatError extends Error {
  override readonly name = 'WechatError';
  readonly code = 'E_WECHAT';

  constructor(
    readonly kind: WechatErrorKind,
    /** WeChat's errcode; null when WeChat did not answer with one (HTTP, timeout, network). */
    readonly errcode: number | null,
    readonly errmsg: string,
    /** The API path, never the query (it carries the access token). */
    readonly endpoint: string,
    readonly status: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(`${endpoint}: ${errcode === null ? kind : `errcode ${errcode}`} ${errmsg}`, options);
  }

  /** A sentence for a person, when the code has one. */
  get hint(): string | undefined {
    return this.errcode === null ? undefined : HINTS[this.errcode];
  }
}

export function isWechatError(err: unknown): err is WechatError {
  return err instanceof WechatError;
}

/** 40001 / 40014 / 42001: refresh the token and retry once. */
export function isTokenError(err: unknown): boolean {
  return isWechatError(err) && err.errcode !== null && TOKEN_ERRCODES.has(err.errcode);
}

/** Worth another try later: 45009, -1, HTTP 5xx/429, timeouts and network errors. */
export function isRetryable(err: unknown): boolean {
  if (!isWechatError(err)) return false;
  switch (err.kind) {
    case 'api':
      return err.errcode !== null && RETRYABLE_ERRCODES.has(err.errcode);
    case 'http':
      return err.status !== null && (err.status >= 500 || err.status === 429);
    case 'timeout':
    case 'network':
      return true;
    case 'parse':
      return false;
  }
}

/** The failure may have happened before WeChat acted (safe to repeat a non-idempotent call). */
export function isNotProcessed(err: unknown): boolean {
  return (
    isWechatError(err) &&
    err.kind === 'api' &&
    err.errcode !== null &&
    RETRYABLE_ERRCODES.has(err.errcode)
  );
}
