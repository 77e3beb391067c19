/**
 * One callback request in, one decision out (no I/O): the URL check echo, a verified and
 * parsed message (with a reply builder that encrypts when the push was encrypted), or a
 * rejection carrying its HTTP status and a code for the log.
 *
 * Freshness: `timestamp` must be within ±TIMESTAMP_TOLERANCE_SECONDS of our clock. WeChat's
 * own retries all land within ~15 s of the first try, so the window is about clock skew
 * between WeChat's servers and ours, and stops a captured request being replayed later.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { WechatCryptoError, decryptMessage, encryptMessage } from './crypto';
import { type InboundMessage, parseInboundMessage } from './messages';
import { computeMsgSignature, verifyMsgSignature, verifySignature } from './signature';
import {
  MAX_XML_BYTES,
  WechatXmlError,
  type XmlFields,
  buildEncryptedEnvelope,
  buildTextReplyXml,
  fieldText,
  parseWechatXml,
} from './xml';

export type CallbackMode = 'plaintext' | 'compatible' | 'safe';

export interface CallbackAccount {
  /** The callback Token configured on the WeChat platform. */
  token: string;
  appId: string;
  /** EncodingAESKey (43 chars); required for compatible and safe modes. */
  aesKey?: string;
  mode: CallbackMode;
}

export type QueryInput = URLSearchParams | Record<string, string | string[] | undefined>;

export interface CallbackRequest {
  method: string;
  query: QueryInput;
  body?: string | Buffer;
  account: CallbackAccount;
  /** Current time in ms (default Date.now()). */
  now?: number;
  toleranceSeconds?: number;
  maxBodyBytes?: number;
}

export const TIMESTAMP_TOLERANCE_SECONDS = 300;

/** WeChat's nonces are short digit strings; the bound keeps the replay guard's key small. */
const NONCE = /^[A-Za-z0-9_-]{1,64}$/;

export type RejectionCode =
  | 'E_METHOD'
  | 'E_MISSING_PARAMS'
  | 'E_BAD_PARAMS'
  | 'E_BAD_SIGNATURE'
  | 'E_BAD_MSG_SIGNATURE'
  | 'E_STALE_TIMESTAMP'
  | 'E_ENCRYPTION_REQUIRED'
  | 'E_NO_AES_KEY'
  | 'E_NO_ENCRYPT_FIELD'
  | 'E_BAD_MESSAGE'
  | WechatXmlError['code']
  | WechatCryptoError['code'];

export interface CallbackRejection {
  kind: 'rejected';
  status: 400 | 401 | 405;
  code: RejectionCode;
  reason: string;
}

export interface CallbackEcho {
  kind: 'echo';
  status: 200;
  body: string;
}

export interface CallbackMessage {
  kind: 'message';
  message: InboundMessage;
  /** The signed query's nonce and timestamp (unix s), for the replay guard. */
  nonce: string;
  timestamp: number;
  /**
   * SHA-256 (hex) of the message XML (the decrypted one when encrypted): WeChat's retry of a
   * push has the same one; a captured signature reused with another body does not.
   */
  fingerprint: string;
  /** The decrypted `<xml>` fields, for storing the raw payload. */
  fields: XmlFields;
  /** True when the push was encrypted (replies are then encrypted too). */
  encrypted: boolean;
  /** Wraps a plaintext passive-reply XML for the response body (encrypting when needed). */
  reply(xml: string): string;
  /** A passive text reply to this message, ready to send as the response body. */
  replyText(content: string): string;
}

export type CallbackResult = CallbackEcho | CallbackMessage | CallbackRejection;

/** The body that acknowledges a push without replying (stops WeChat's retries). */
export const ACK_BODY = 'success';

function reject(
  status: CallbackRejection['status'],
  code: RejectionCode,
  reason: string,
): CallbackRejection {
  return { kind: 'rejected', status, code, reason };
}

function queryParam(query: QueryInput, name: string): string | undefined {
  if (query instanceof URLSearchParams) return query.get(name) ?? undefined;
  const v = query[name];
  return Array.isArray(v) ? v[0] : v;
}

export function handleCallback(req: CallbackRequest): CallbackResult {
  const { account, query } = req;
  const method = req.method.toUpperCase();
  if (method !== 'GET' && method !== 'POST') return reject(405, 'E_METHOD', `method ${method}`);

  const signature = queryParam(query, 'signature');
  const timestamp = queryParam(query, 'timestamp');
  const nonce = queryParam(query, 'nonce');
  if (!signature || !timestamp || !nonce) {
    return reject(401, 'E_MISSING_PARAMS', 'signature, timestamp and nonce are required');
  }
  if (!NONCE.test(nonce)) {
    return reject(400, 'E_BAD_PARAMS', 'nonce is 1–64 letters, digits, "_" or "-"');
  }
  if (!verifySignature({ token: account.token, timestamp, nonce, signature })) {
    return reject(401, 'E_BAD_SIGNATURE', 'signature does not match the token');
  }
  const nowSeconds = Math.floor((req.now ?? Date.now()) / 1000);
  const tolerance = req.toleranceSeconds ?? TIMESTAMP_TOLERANCE_SECONDS;
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > tolerance) {
    return reject(401, 'E_STALE_TIMESTAMP', `timestamp ${timestamp} is outside ±${tolerance}s`);
  }

  if (method === 'GET') {
    const echostr = queryParam(query, 'echostr');
    if (echostr === undefined) return reject(400, 'E_MISSING_PARAMS', 'echostr is required');
    return { kind: 'echo', status: 200, body: echostr };
  }

  const bodyText = req.body ?? '';
  let outer: XmlFields;
  let messageXml: string | Buffer = bodyText;
  try {
    outer = parseWechatXml(bodyText, req.maxBodyBytes ?? MAX_XML_BYTES);
  } catch (err) {
    if (err instanceof WechatXmlError) return reject(400, err.code, err.message);
    throw err;
  }

  const encrypted = queryParam(query, 'encrypt_type') === 'aes';
  let fields = outer;
  if (encrypted) {
    if (!account.aesKey)
      return reject(400, 'E_NO_AES_KEY', 'encrypted push but no EncodingAESKey configured');
    const encrypt = fieldText(outer, 'Encrypt');
    if (!encrypt) return reject(400, 'E_NO_ENCRYPT_FIELD', 'encrypted push without <Encrypt>');
    const msgSignature = queryParam(query, 'msg_signature');
    if (
      !msgSignature ||
      !verifyMsgSignature({ token: account.token, timestamp, nonce, encrypt, msgSignature })
    ) {
      return reject(401, 'E_BAD_MSG_SIGNATURE', 'msg_signature does not match');
    }
    try {
      const inner = decryptMessage(encrypt, { aesKey: account.aesKey, appId: account.appId });
      fields = parseWechatXml(inner.xml, req.maxBodyBytes ?? MAX_XML_BYTES);
      messageXml = inner.xml;
    } catch (err) {
      if (err instanceof WechatCryptoError || err instanceof WechatXmlError) {
        return reject(400, err.code, err.message);
      }
      throw err;
    }
  } else if (account.mode === 'safe') {
    return reject(400, 'E_ENCRYPTION_REQUIRED', 'safe mode accepts encrypted pushes only');
  }

  const parsed = parseInboundMessage(fields);
  if (!parsed.ok) return reject(400, 'E_BAD_MESSAGE', parsed.issues.join('; '));
  const message = parsed.message;
  const reply = (xml: string) => (encrypted ? encryptReply(xml, account, { now: req.now }) : xml);
  return {
    kind: 'message',
    message,
    nonce,
    timestamp: Number(timestamp),
    fingerprint: createHash('sha256').update(messageXml).digest('hex'),
    fields,
    encrypted,
    reply,
    replyText: (content) => reply(textReplyFor(message, content, req.now)),
  };
}

/** The plaintext passive text reply XML to a message (sender and recipient swapped). */
export function textReplyFor(message: InboundMessage, content: string, now = Date.now()): string {
  return buildTextReplyXml({
    toUser: message.fromUserName,
    fromUser: message.toUserName,
    createTime: Math.floor(now / 1000),
    content,
  });
}

export interface EncryptReplyOptions {
  now?: number;
  nonce?: string;
  randomBytes?: (size: number) => Buffer;
}

/** Encrypts a passive reply into WeChat's `<Encrypt/><MsgSignature/><TimeStamp/><Nonce/>` envelope. */
export function encryptReply(
  xml: string,
  account: Pick<CallbackAccount, 'token' | 'appId' | 'aesKey'>,
  options: EncryptReplyOptions = {},
): string {
  if (!account.aesKey)
    throw new WechatCryptoError('E_BAD_KEY', 'no EncodingAESKey to encrypt the reply');
  const timestamp = String(Math.floor((options.now ?? Date.now()) / 1000));
  const nonce = options.nonce ?? String(randomInt(100_000_000, 1_000_000_000));
  const encrypt = encryptMessage(xml, {
    aesKey: account.aesKey,
    appId: account.appId,
    randomBytes: options.randomBytes ?? randomBytes,
  });
  return buildEncryptedEnvelope({
    encrypt,
    msgSignature: computeMsgSignature(account.token, timestamp, nonce, encrypt),
    timestamp,
    nonce,
  });
}

/**
 * A passive text reply body for a message: plaintext, or encrypted when `encrypted` (the
 * inbound push was encrypted; always the case in safe mode).
 */
export function passiveTextReply(args: {
  message: InboundMessage;
  content: string;
  account: CallbackAccount;
  encrypted: boolean;
  now?: number;
}): string {
  const xml = textReplyFor(args.message, args.content, args.now);
  return args.encrypted ? encryptReply(xml, args.account, { now: args.now }) : xml;
}
