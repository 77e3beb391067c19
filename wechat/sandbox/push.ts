/**
 * Builds a callback request exactly as WeChat sends it: signed query, and for compatible/safe
 * mode the `Encrypt` field, `encrypt_type=aes` and `msg_signature`.
 */
import { randomInt } from 'node:crypto';
import type { CallbackMode } from '../callback';
import { encryptMessage } from '../crypto';
import { computeMsgSignature, computeSignature } from '../signature';
import { buildXml } from '../xml';

export type PushFields = Record<string, string | number | undefined>;

export interface PushAccount {
  token: string;
  appId: string;
  aesKey?: string;
  mode: CallbackMode;
}

export interface BuiltPush {
  query: Record<string, string>;
  body: string;
  /** The plaintext message XML (what was encrypted, in compatible/safe mode). */
  xml: string;
}

export function buildPush(
  account: PushAccount,
  fields: PushFields,
  options: { timestamp?: number; nonce?: string; randomBytes?: (n: number) => Buffer } = {},
): BuiltPush {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = options.nonce ?? String(randomInt(100_000_000, 1_000_000_000));
  const xml = buildXml(fields);
  const query: Record<string, string> = {
    signature: computeSignature(account.token, timestamp, nonce),
    timestamp,
    nonce,
  };
  if (typeof fields.FromUserName === 'string') query.openid = fields.FromUserName;
  if (account.mode === 'plaintext') return { query, body: xml, xml };
  if (!account.aesKey) throw new Error(`${account.mode} mode needs an EncodingAESKey`);
  const encrypt = encryptMessage(xml, {
    aesKey: account.aesKey,
    appId: account.appId,
    ...(options.randomBytes ? { randomBytes: options.randomBytes } : {}),
  });
  query.encrypt_type = 'aes';
  query.msg_signature = computeMsgSignature(account.token, timestamp, nonce, encrypt);
  const body =
    account.mode === 'safe'
      ? buildXml({ ToUserName: fields.ToUserName, Encrypt: encrypt })
      : buildXml({ ...fields, Encrypt: encrypt });
  return { query, body, xml };
}
