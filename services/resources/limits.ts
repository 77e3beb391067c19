/** Limits the forms show and the use cases enforce (no server-only imports here). */

/** docs/wechat.md#tags: per account, and per name in UTF-8 bytes. */
export const TAG_BUDGET = 100;
export const TAG_NAME_MAX_BYTES = 30;

export const POOL_NAME_MAX = 64;
/** One request's worth: larger batches belong to the CLI (`fanfare coupon-pool create`). */
export const MAX_GENERATE = 100_000;
export const MAX_IMPORT_CODES = 100_000;
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
export const CODE_LENGTH = { min: 6, max: 32, default: 10 } as const;

export const QR_NAME_MAX = 64;
/** docs/wechat.md#qr-codes: temporary codes live at most 30 days. */
export const QR_MAX_DAYS = 30;
/**
 * WeChat takes any 1–64 character scene_str; we keep to letters, digits and _ - . so a scene
 * reads the same on a poster, in a URL and in a flow (where `*` is the prefix wildcard).
 */
export const QR_SCENE = /^[A-Za-z0-9_.-]{1,64}$/;
