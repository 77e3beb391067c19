import { createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  WechatCryptoError,
  decodeAesKey,
  decryptMessage,
  encryptMessage,
  pkcs7Pad,
  pkcs7Unpad,
} from './crypto';

const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const APP_ID = 'wx1234567890abcdef';
const XML =
  '<xml><ToUserName><![CDATA[gh_fanfare]]></ToUserName><Content><![CDATA[007]]></Content></xml>';
const RANDOM = Buffer.from('0123456789abcdef', 'ascii');

// Computed once from the shell with OpenSSL, independently of this code:
//   KEYHEX=$(echo -n "${AES_KEY}=" | base64 -d | xxd -p -c 64); IV = first 32 hex digits
//   plain.bin = '0123456789abcdef' ‖ 00 00 00 5c ‖ XML ‖ APP_ID ‖ 30 × 0x1e   (160 bytes)
//   openssl enc -aes-256-cbc -nopad -K $KEYHEX -iv $IV -in plain.bin | base64 -w0
const FIXED_KEY_HEX = '69b71d79f8218a39259a7a29aabb2dbafc31cb3d35db7e39ebbf3d0010831051';
const FIXED_ENCRYPT =
  'Q3stYC6hdFzMh9T8HCvyDH9UTgHrzXvXNY6dSnJMj7GP6PBSWAA5ouBgYZXATrrqZnNfMFsF5pg3JWvQZ0IZzM1MRHV37oIJ5M9VpUcxjUoTZvxBmA5oU4DlvNUNQaODuwtTpsa+dlozzKRrGvRxPL3RwKS8vJId9M1a3tPc3MA8Mg7aoZ5N/9EzMKZ24EIbInEXgqyhUMobV94f0x9J7g==';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof WechatCryptoError ? err.code : `not a WechatCryptoError: ${String(err)}`;
  }
  return undefined;
}

describe('crypto', () => {
  it('decodes the EncodingAESKey to the same 32 bytes as base64 -d', () => {
    expect(decodeAesKey(AES_KEY).toString('hex')).toBe(FIXED_KEY_HEX);
  });

  it.each(['short', `${AES_KEY}A`, `${AES_KEY.slice(0, 42)}!`, ''])('rejects the key %j', (key) => {
    expect(codeOf(() => decodeAesKey(key))).toBe('E_BAD_KEY');
  });

  it('encrypts to the OpenSSL vector with fixed random bytes', () => {
    expect(encryptMessage(XML, { aesKey: AES_KEY, appId: APP_ID, randomBytes: () => RANDOM })).toBe(
      FIXED_ENCRYPT,
    );
  });

  it('decrypts the OpenSSL vector', () => {
    expect(decryptMessage(FIXED_ENCRYPT, { aesKey: AES_KEY, appId: APP_ID })).toEqual({
      xml: XML,
      appId: APP_ID,
    });
  });

  it('round-trips UTF-8 of every padding length', () => {
    for (let n = 0; n < 70; n++) {
      const xml = `<xml><Content><![CDATA[${'你'.repeat(n % 7)}${'a'.repeat(n)}]]></Content></xml>`;
      const enc = encryptMessage(xml, { aesKey: AES_KEY, appId: APP_ID });
      expect(Buffer.from(enc, 'base64').length % 32).toBe(0);
      expect(decryptMessage(enc, { aesKey: AES_KEY, appId: APP_ID }).xml).toBe(xml);
    }
  });

  it('pads to a multiple of 32 bytes, with a full block when already aligned', () => {
    expect(pkcs7Pad(Buffer.alloc(32)).length).toBe(64);
    expect(pkcs7Pad(Buffer.alloc(31)).subarray(31)).toEqual(Buffer.from([1]));
    expect(pkcs7Unpad(pkcs7Pad(Buffer.from('abc'))).toString()).toBe('abc');
  });

  it('rejects another AppId with E_BAD_APPID', () => {
    expect(codeOf(() => decryptMessage(FIXED_ENCRYPT, { aesKey: AES_KEY, appId: 'wxother' }))).toBe(
      'E_BAD_APPID',
    );
  });

  it('rejects a ciphertext decrypted with another key with E_BAD_PADDING (or length)', () => {
    const other = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefg';
    expect(['E_BAD_PADDING', 'E_BAD_LENGTH']).toContain(
      codeOf(() => decryptMessage(FIXED_ENCRYPT, { aesKey: other, appId: APP_ID })),
    );
  });

  it('rejects bad padding bytes with E_BAD_PADDING', () => {
    expect(codeOf(() => pkcs7Unpad(Buffer.from([1, 2, 3, 0])))).toBe('E_BAD_PADDING');
    expect(codeOf(() => pkcs7Unpad(Buffer.from([1, 2, 3, 33])))).toBe('E_BAD_PADDING');
    expect(codeOf(() => pkcs7Unpad(Buffer.from([9, 3, 2, 3])))).toBe('E_BAD_PADDING');
  });

  it('rejects ciphertext that is not whole blocks', () => {
    expect(codeOf(() => decryptMessage('YWJj', { aesKey: AES_KEY, appId: APP_ID }))).toBe(
      'E_BAD_CIPHERTEXT',
    );
  });

  it('puts the 4-byte big-endian XML length after 16 random bytes', () => {
    const enc = encryptMessage(XML, { aesKey: AES_KEY, appId: APP_ID, randomBytes: () => RANDOM });
    const key = decodeAesKey(AES_KEY);
    const d = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    d.setAutoPadding(false);
    const plain = Buffer.concat([d.update(Buffer.from(enc, 'base64')), d.final()]);
    expect(plain.subarray(0, 16)).toEqual(RANDOM);
    expect(plain.readUInt32BE(16)).toBe(Buffer.byteLength(XML));
  });
});
