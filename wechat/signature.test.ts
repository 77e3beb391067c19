import { describe, expect, it } from 'vitest';
import {
  computeMsgSignature,
  computeSignature,
  safeEqual,
  verifyMsgSignature,
  verifySignature,
} from './signature';

// Computed once from the shell, independently of this code:
//   printf '%s\n' fanfare-token 1700000000 123456789 | LC_ALL=C sort | tr -d '\n' | sha1sum
const FIXED = {
  token: 'fanfare-token',
  timestamp: '1700000000',
  nonce: '123456789',
  signature: '658b48729a674d7e91fa543d7a589e0b9128e94d',
};
// ... with the Encrypt value of crypto.test.ts's fixed vector as a fourth part
const FIXED_ENCRYPT =
  'Q3stYC6hdFzMh9T8HCvyDH9UTgHrzXvXNY6dSnJMj7GP6PBSWAA5ouBgYZXATrrqZnNfMFsF5pg3JWvQZ0IZzM1MRHV37oIJ5M9VpUcxjUoTZvxBmA5oU4DlvNUNQaODuwtTpsa+dlozzKRrGvRxPL3RwKS8vJId9M1a3tPc3MA8Mg7aoZ5N/9EzMKZ24EIbInEXgqyhUMobV94f0x9J7g==';
const FIXED_MSG_SIGNATURE = '019a31dc3c07c2db5be6eb50702c718e9701e8ea';

describe('signature', () => {
  it('matches the independently computed URL-check signature', () => {
    expect(computeSignature(FIXED.token, FIXED.timestamp, FIXED.nonce)).toBe(FIXED.signature);
    expect(verifySignature(FIXED)).toBe(true);
  });

  it('does not depend on argument order (parts are sorted)', () => {
    expect(computeSignature(FIXED.nonce, FIXED.token, FIXED.timestamp)).toBe(FIXED.signature);
  });

  it('matches the independently computed msg_signature', () => {
    expect(computeMsgSignature(FIXED.token, FIXED.timestamp, FIXED.nonce, FIXED_ENCRYPT)).toBe(
      FIXED_MSG_SIGNATURE,
    );
    expect(
      verifyMsgSignature({ ...FIXED, encrypt: FIXED_ENCRYPT, msgSignature: FIXED_MSG_SIGNATURE }),
    ).toBe(true);
  });

  it.each([
    ['another token', { ...FIXED, token: 'other' }],
    ['another nonce', { ...FIXED, nonce: '123456780' }],
    ['a truncated signature', { ...FIXED, signature: FIXED.signature.slice(1) }],
    ['an empty signature', { ...FIXED, signature: '' }],
  ])('rejects %s', (_name, params) => {
    expect(verifySignature(params)).toBe(false);
  });

  it('accepts an upper-case hex signature', () => {
    expect(verifySignature({ ...FIXED, signature: FIXED.signature.toUpperCase() })).toBe(true);
  });

  it('safeEqual compares whole strings', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});
