/**
 * Acting as a follower: updates the sandbox's follower state as WeChat would, then POSTs the
 * signed (and, in compatible/safe mode, encrypted) push to the account's callback URL,
 * retrying like WeChat (3 tries, 5 s each), and reads the passive reply.
 *
 * The transport `timestamp` is real wall-clock time (the app checks its freshness against its
 * own clock); `CreateTime` is sandbox time, so tests that move the sandbox clock still pass
 * the app's replay check.
 */
import { randomBytes } from 'node:crypto';
import { decryptMessage } from '../crypto';
import { verifyMsgSignature } from '../signature';
import { parseWechatXml, type XmlFields } from '../xml';
import { buildPush, type PushFields } from './push';
import {
  type QrCode,
  type SandboxAccount,
  type SandboxFollower,
  type SandboxState,
  followerView,
  newFollower,
  openGrant,
} from './state';
import type {
  DeliveryAttempt,
  PassiveReply,
  SimulateKind,
  SimulateRequest,
  SimulateResult,
} from './types';

export class SimulateError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_ATTEMPTS = 3;
const MAX_TIMEOUT_MS = 30_000;

function msgId(): string {
  return (
    1_000_000_000_000_000_000n +
    (randomBytes(8).readBigUInt64BE(0) % 8_000_000_000_000_000_000n)
  ).toString();
}

function findQr(acct: SandboxAccount, req: SimulateRequest): QrCode | undefined {
  if (req.ticket) return acct.qrcodes.get(req.ticket);
  if (req.scene === undefined) return undefined;
  return [...acct.qrcodes.values()]
    .reverse()
    .find((q) => (q.sceneStr ?? String(q.sceneId)) === req.scene);
}

function sceneOf(
  acct: SandboxAccount,
  req: SimulateRequest,
): { scene: string; ticket: string; qr?: QrCode } | null {
  const qr = findQr(acct, req);
  if (req.ticket && !qr && req.scene === undefined)
    throw new SimulateError(404, `unknown ticket ${req.ticket}`);
  const scene = req.scene ?? (qr ? (qr.sceneStr ?? String(qr.sceneId)) : undefined);
  if (scene === undefined) return null;
  return { scene, ticket: qr?.ticket ?? req.ticket ?? `gQsandbox_${scene}`, qr };
}

function requireSubscribed(f: SandboxFollower | undefined, openid: string): SandboxFollower {
  if (!f || !f.subscribed) throw new SimulateError(409, `${openid} is not following`);
  return f;
}

/** Applies the interaction to sandbox state and returns the push fields (without the common ones). */
function apply(
  acct: SandboxAccount,
  kind: SimulateKind,
  req: SimulateRequest,
  now: number,
): { fields: PushFields; follower: SandboxFollower } {
  const existing = acct.followers.get(req.openid);
  const event = (name: string, extra: PushFields = {}) => ({
    MsgType: 'event',
    Event: name,
    ...extra,
  });
  switch (kind) {
    case 'follow': {
      if (existing?.subscribed) throw new SimulateError(409, `${req.openid} already follows`);
      const qr = sceneOf(acct, req);
      const f = existing ?? newFollower(req.openid, now);
      Object.assign(f, {
        subscribed: true,
        subscribeTime: Math.floor(now / 1000),
        unsubscribeTime: null,
        subscribeScene: qr ? 'ADD_SCENE_QR_CODE' : 'ADD_SCENE_SEARCH',
        qrScene: qr?.qr
          ? (qr.qr.sceneId ?? 0)
          : qr && /^\d+$/.test(qr.scene)
            ? Number(qr.scene)
            : 0,
        qrSceneStr: qr?.qr ? (qr.qr.sceneStr ?? '') : qr && !/^\d+$/.test(qr.scene) ? qr.scene : '',
      });
      f.grants = [];
      acct.followers.set(f.openid, f);
      openGrant(acct, f, 'event', now);
      return {
        follower: f,
        fields: event(
          'subscribe',
          qr ? { EventKey: `qrscene_${qr.scene}`, Ticket: qr.ticket } : { EventKey: '' },
        ),
      };
    }
    case 'unfollow': {
      const f = requireSubscribed(existing, req.openid);
      f.subscribed = false;
      f.unsubscribeTime = Math.floor(now / 1000);
      f.grants = [];
      return { follower: f, fields: event('unsubscribe', { EventKey: '' }) };
    }
    case 'scan': {
      const qr = sceneOf(acct, req);
      if (!qr) throw new SimulateError(400, 'scan needs a scene or a ticket');
      if (!existing?.subscribed) return apply(acct, 'follow', req, now); // scanning to follow
      openGrant(acct, existing, 'event', now);
      return {
        follower: existing,
        fields: event('SCAN', { EventKey: qr.scene, Ticket: qr.ticket }),
      };
    }
    case 'text': {
      const f = requireSubscribed(existing, req.openid);
      if (typeof req.content !== 'string') throw new SimulateError(400, 'text needs content');
      openGrant(acct, f, 'message', now);
      return { follower: f, fields: { MsgType: 'text', Content: req.content, MsgId: msgId() } };
    }
    case 'click': {
      const f = requireSubscribed(existing, req.openid);
      if (!req.key) throw new SimulateError(400, 'click needs a key');
      openGrant(acct, f, 'event', now);
      return { follower: f, fields: event('CLICK', { EventKey: req.key }) };
    }
    case 'view': {
      const f = requireSubscribed(existing, req.openid);
      if (!req.url) throw new SimulateError(400, 'view needs a url');
      f.lastInteractionAt = now;
      return { follower: f, fields: event('VIEW', { EventKey: req.url }) };
    }
    case 'location': {
      const f = requireSubscribed(existing, req.openid);
      const { latitude, longitude, precision = 65 } = req;
      if (typeof latitude !== 'number' || typeof longitude !== 'number') {
        throw new SimulateError(400, 'location needs latitude and longitude');
      }
      return {
        follower: f,
        fields: event('LOCATION', {
          Latitude: latitude.toFixed(6),
          Longitude: longitude.toFixed(6),
          Precision: precision.toFixed(6),
        }),
      };
    }
  }
}

function readReply(acct: SandboxAccount, body: string): PassiveReply {
  const trimmed = body.trim();
  if (trimmed === '' || trimmed === 'success') return { kind: 'none', encrypted: false };
  let fields: XmlFields;
  let encrypted = false;
  try {
    fields = parseWechatXml(trimmed);
    if (typeof fields.Encrypt === 'string') {
      encrypted = true;
      const { Encrypt, MsgSignature, TimeStamp, Nonce } = fields as Record<string, string>;
      if (
        !acct.aesKey ||
        !verifyMsgSignature({
          token: acct.token,
          timestamp: TimeStamp ?? '',
          nonce: Nonce ?? '',
          encrypt: Encrypt!,
          msgSignature: MsgSignature ?? '',
        })
      ) {
        return { kind: 'invalid', encrypted, error: 'reply MsgSignature does not verify' };
      }
      fields = parseWechatXml(
        decryptMessage(Encrypt!, { aesKey: acct.aesKey, appId: acct.appId }).xml,
      );
    }
  } catch (err) {
    return { kind: 'invalid', encrypted, error: (err as Error).message };
  }
  if (acct.mode === 'safe' && !encrypted)
    return { kind: 'invalid', encrypted, error: 'safe mode needs an encrypted reply' };
  const msgType = typeof fields.MsgType === 'string' ? fields.MsgType : undefined;
  if (
    !msgType ||
    typeof fields.ToUserName !== 'string' ||
    typeof fields.FromUserName !== 'string'
  ) {
    return {
      kind: 'invalid',
      encrypted,
      fields,
      error: 'reply lacks ToUserName/FromUserName/MsgType',
    };
  }
  const content = typeof fields.Content === 'string' ? fields.Content : undefined;
  if (fields.FromUserName !== acct.originalId) {
    return {
      kind: 'invalid',
      encrypted,
      fields,
      msgType,
      content,
      error: 'reply FromUserName is not the account',
    };
  }
  return {
    kind: 'message',
    encrypted,
    fields,
    msgType,
    ...(content === undefined ? {} : { content }),
  };
}

async function deliver(
  acct: SandboxAccount,
  push: { query: Record<string, string>; body: string },
  attempts: number,
  timeoutMs: number,
): Promise<DeliveryAttempt[]> {
  const url = new URL(acct.callbackUrl!);
  for (const [k, v] of Object.entries(push.query)) url.searchParams.set(k, v);
  const log: DeliveryAttempt[] = [];
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const started = Date.now();
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'text/xml; charset=utf-8',
          'user-agent': 'Mozilla/4.0 (fanfare-wechat-sandbox)',
        },
        body: push.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = await res.text();
      log.push({
        attempt,
        status: res.status,
        body,
        error: null,
        durationMs: Date.now() - started,
      });
      if (res.ok) break;
    } catch (err) {
      const error =
        (err as Error).name === 'TimeoutError'
          ? `no answer within ${timeoutMs} ms`
          : (err as Error).message;
      log.push({ attempt, status: null, body: '', error, durationMs: Date.now() - started });
    }
  }
  return log;
}

export async function simulate(
  state: SandboxState,
  appId: string,
  kind: SimulateKind,
  req: SimulateRequest,
): Promise<SimulateResult> {
  const acct = state.accounts.get(appId);
  if (!acct) throw new SimulateError(404, `unknown account ${appId}`);
  if (typeof req.openid !== 'string' || req.openid === '')
    throw new SimulateError(400, 'openid is required');
  const now = state.now();
  const { fields: specific, follower } = apply(acct, kind, req, now);
  const fields: Record<string, string | number> = {
    ToUserName: acct.originalId,
    FromUserName: req.openid,
    CreateTime: Math.floor(now / 1000),
    ...(specific as Record<string, string>),
  };
  const resultBase = { kind: specific.Event === 'subscribe' ? ('follow' as const) : kind, fields };
  if (!acct.callbackUrl) {
    return {
      ...resultBase,
      delivered: false,
      attempts: [],
      reply: null,
      follower: followerView(follower),
    };
  }
  const push = buildPush(acct, fields);
  const attempts = Math.min(MAX_ATTEMPTS, Math.max(1, Math.floor(req.attempts ?? MAX_ATTEMPTS)));
  const timeoutMs = Math.min(MAX_TIMEOUT_MS, Math.max(1, req.timeoutMs ?? 5000));
  const log = await deliver(acct, push, attempts, timeoutMs);
  if (req.duplicate)
    log.push(
      ...(await deliver(acct, push, 1, timeoutMs)).map((a) => ({ ...a, attempt: log.length + 1 })),
    );
  const answered = log.filter((a) => a.status !== null && a.status >= 200 && a.status < 300);
  const last = answered.at(-1);
  const result: SimulateResult = {
    ...resultBase,
    delivered: answered.length > 0,
    attempts: log,
    reply: last ? readReply(acct, last.body) : null,
    follower: followerView(follower),
  };
  state.record('deliveries', {
    ...result,
    seq: state.nextSeq(),
    time: now,
    appId,
    url: acct.callbackUrl,
  });
  return result;
}

/**
 * Pushes a platform event that no fan caused (a MASSSENDJOBFINISH) to the account's callback,
 * signed like any other push, with WeChat's retries. Returns the attempts (none without a URL).
 */
export async function pushPlatformEvent(
  state: SandboxState,
  acct: SandboxAccount,
  fields: Record<string, string | number>,
): Promise<DeliveryAttempt[]> {
  if (!acct.callbackUrl) return [];
  const push = buildPush(acct, {
    ToUserName: acct.originalId,
    CreateTime: Math.floor(state.now() / 1000),
    MsgType: 'event',
    ...fields,
  });
  return deliver(acct, push, MAX_ATTEMPTS, 5000);
}
