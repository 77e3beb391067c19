/**
 * Callback signatures (docs/wechat.md#signatures): SHA-1 hex of the lexicographically sorted,
 * concatenated parts. `signature` covers [token, timestamp, nonce]; `msg_signature` adds the
 * `Encrypt` payload. Comparisons are constant-time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** SHA-1 hex of the parts sorted by UTF-16 code unit (plain `sort()`, as WeChat's SDKs do). */
export function sortedSha1(parts: readonly string[]): string {
  return createHash('sha1')
    .update([...parts].sort().join(''), 'utf8')
    .digest('hex');
}

export function computeSignature(token: string, timestamp: string, nonce: string): string {
  return sortedSha1([token, timestamp, nonce]);
}

export function computeMsgSignature(
  token: string,
  timestamp: string,
  nonce: string,
  encrypt: string,
): string {
  return sortedSha1([token, timestamp, nonce, encrypt]);
}

/** Constant-time string equality; a length mismatch returns false without comparing. */
export function safeEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface SignatureParams {
  token: string;
  timestamp: string;
  nonce: string;
  signature: string;
}

export function verifySignature(p: SignatureParams): boolean {
  return safeEqual(computeSignature(p.token, p.timestamp, p.nonce), p.signature.toLowerCase());
}

export interface MsgSignatureParams {
  token: string;
  timestamp: string;
  nonce: string;
  encrypt: string;
  msgSignature: string;
}

export function verifyMsgSignature(p: MsgSignatureParams): boolean {
  return safeEqual(
    computeMsgSignature(p.token, p.timestamp, p.nonce, p.encrypt),
    p.msgSignature.toLowerCase(),
  );
}
