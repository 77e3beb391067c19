/**
 * WXBizMsgCrypt-compatible message encryption (docs/wechat.md#crypto).
 * key = base64(EncodingAESKey + '='), AES-256-CBC, IV = key[0..16), PKCS#7 padding to a
 * multiple of 32 bytes (not AES's 16, so Node's auto padding is off).
 * plaintext = 16 random bytes ‖ uint32 BE length ‖ XML ‖ AppId.
 */
import { createCipheriv, createDecipheriv, randomBytes as nodeRandomBytes } from 'node:crypto';

export type WechatCryptoErrorCode =
  'E_BAD_KEY' | 'E_BAD_CIPHERTEXT' | 'E_BAD_PADDING' | 'E_BAD_LENGTH' | 'E_BAD_APPID';

export class WechatCryptoError extends Error {
  override readonly name = 'WechatCryptoError';
  constructor(
    readonly code: WechatCryptoErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const PAD_BLOCK = 32;
const AES_KEY_RE = /^[A-Za-z0-9+/]{43}$/;

/** Decodes a 43-character EncodingAESKey into its 32-byte AES key. */
export function decodeAesKey(encodingAesKey: string): Buffer {
  if (!AES_KEY_RE.test(encodingAesKey)) {
    throw new WechatCryptoError('E_BAD_KEY', 'EncodingAESKey must be 43 base64 characters');
  }
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== 32) {
    throw new WechatCryptoError(
      'E_BAD_KEY',
      `EncodingAESKey decodes to ${key.length} bytes, not 32`,
    );
  }
  return key;
}

export function isValidAesKey(encodingAesKey: string): boolean {
  try {
    decodeAesKey(encodingAesKey);
    return true;
  } catch {
    return false;
  }
}

export function pkcs7Pad(data: Buffer, block = PAD_BLOCK): Buffer {
  const n = block - (data.length % block);
  return Buffer.concat([data, Buffer.alloc(n, n)]);
}

export function pkcs7Unpad(data: Buffer, block = PAD_BLOCK): Buffer {
  const n = data.length > 0 ? data[data.length - 1]! : 0;
  if (n < 1 || n > block || n > data.length) {
    throw new WechatCryptoError('E_BAD_PADDING', `bad PKCS#7 padding byte ${n}`);
  }
  for (let i = data.length - n; i < data.length; i++) {
    if (data[i] !== n) throw new WechatCryptoError('E_BAD_PADDING', 'inconsistent PKCS#7 padding');
  }
  return data.subarray(0, data.length - n);
}

export interface CipherOptions {
  /** The 43-character EncodingAESKey. */
  aesKey: string;
  appId: string;
  /** Source of the 16 random prefix bytes; injectable for known-answer tests. */
  randomBytes?: (size: number) => Buffer;
}

/** Encrypts a message XML into the base64 `Encrypt` value. */
export function encryptMessage(xml: string, options: CipherOptions): string {
  const key = decodeAesKey(options.aesKey);
  const random = (options.randomBytes ?? nodeRandomBytes)(16);
  if (random.length !== 16)
    throw new WechatCryptoError('E_BAD_KEY', 'randomBytes must return 16 bytes');
  const body = Buffer.from(xml, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length, 0);
  const plain = pkcs7Pad(Buffer.concat([random, length, body, Buffer.from(options.appId, 'utf8')]));
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

export interface Decrypted {
  xml: string;
  appId: string;
}

/**
 * Decrypts an `Encrypt` value and checks padding, length and AppId. Authenticity comes from
 * `msg_signature` (check it first): CBC alone does not detect tampering.
 */
export function decryptMessage(
  encrypted: string,
  options: Omit<CipherOptions, 'randomBytes'>,
): Decrypted {
  const key = decodeAesKey(options.aesKey);
  const data = Buffer.from(encrypted, 'base64');
  if (data.length === 0 || data.length % 16 !== 0 || !/^[A-Za-z0-9+/]+=*$/.test(encrypted)) {
    throw new WechatCryptoError('E_BAD_CIPHERTEXT', 'ciphertext is not base64 whole AES blocks');
  }
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  const plain = pkcs7Unpad(Buffer.concat([decipher.update(data), decipher.final()]));
  if (plain.length < 20)
    throw new WechatCryptoError('E_BAD_LENGTH', 'plaintext shorter than its header');
  const length = plain.readUInt32BE(16);
  if (20 + length > plain.length) {
    throw new WechatCryptoError('E_BAD_LENGTH', `declared length ${length} exceeds the plaintext`);
  }
  const xml = plain.subarray(20, 20 + length).toString('utf8');
  const appId = plain.subarray(20 + length).toString('utf8');
  if (appId !== options.appId) {
    throw new WechatCryptoError('E_BAD_APPID', 'message was encrypted for another AppId');
  }
  return { xml, appId };
}
