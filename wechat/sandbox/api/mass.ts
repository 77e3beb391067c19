/**
 * Mass sends (docs/wechat.md#media-subscription-notifications-mass-sends). `mass/send` takes
 * 2–10,000 openids (40130 otherwise) on a verified service account; `mass/sendall` a tag or
 * everyone. Each fan receives at most `massPerFanPerMonth` (4) mass messages a calendar month:
 * fans over it, not following or unknown are filtered out (FilterCount), not refused. A
 * `clientmsgid` seen within 24 hours is 45065. The answer carries `msg_id` and `msg_data_id`;
 * the job's outcome comes later as a MASSSENDJOBFINISH event pushed to the callback URL.
 */
import { randomBytes } from 'node:crypto';
import type { SandboxAccount, SandboxFollower } from '../state';
import { massThisMonth } from '../state';
import { pushPlatformEvent } from '../simulate';
import type { MassSendRecord } from '../types';
import { type ApiContext, ApiFail, type ApiRoute, account, obj, str } from './common';

const MASS_TYPES = new Set(['text', 'image', 'mpnews', 'voice', 'mpvideo', 'wxcard']);
const CLIENT_ID_WINDOW_MS = 24 * 3600_000;
/** Who the job report comes from on WeChat: the account's mass-send assistant, not a fan. */
export const MASS_ASSISTANT_OPENID = 'oMassSendAssistant';

function id64(): string {
  return (1_000_000_000_000_000_000n + (randomBytes(8).readBigUInt64BE(0) >> 4n)).toString();
}

function content(body: Record<string, unknown>): {
  msgtype: string;
  rest: Record<string, unknown>;
} {
  const msgtype = str(body.msgtype, 40008, 'invalid message type');
  if (!MASS_TYPES.has(msgtype)) throw new ApiFail(40008, 'invalid message type');
  const payload = obj(body[msgtype] ?? null);
  if (msgtype === 'text' && (typeof payload.content !== 'string' || payload.content === ''))
    throw new ApiFail(44004, 'empty content');
  if (msgtype !== 'text' && typeof payload.media_id !== 'string' && msgtype !== 'wxcard')
    throw new ApiFail(40007, 'invalid media_id');
  const rest = { ...body };
  delete rest.touser;
  delete rest.filter;
  return { msgtype, rest };
}

function run(
  ctx: ApiContext,
  acct: SandboxAccount,
  path: string,
  targets: SandboxFollower[],
  unknown: string[],
) {
  const body = obj(ctx.body);
  const { msgtype, rest } = content(body);
  const clientmsgid =
    typeof body.clientmsgid === 'string' && body.clientmsgid !== '' ? body.clientmsgid : null;
  if (clientmsgid) {
    const seen = acct.massClientIds.get(clientmsgid);
    if (seen !== undefined && ctx.now - seen < CLIENT_ID_WINDOW_MS)
      throw new ApiFail(45065, 'clientmsgid exist');
  }
  const delivered: string[] = [];
  const filtered = [...unknown];
  for (const f of targets) {
    if (!f.subscribed || massThisMonth(f, ctx.now) >= acct.limits.massPerFanPerMonth) {
      filtered.push(f.openid);
      continue;
    }
    f.massReceived.push(ctx.now);
    delivered.push(f.openid);
  }
  if (clientmsgid) acct.massClientIds.set(clientmsgid, ctx.now);
  const record: MassSendRecord = {
    seq: ctx.state.nextSeq(),
    time: ctx.now,
    appId: acct.appId,
    path,
    msgId: id64(),
    msgDataId: id64().slice(0, 10),
    clientmsgid,
    msgtype,
    body: rest,
    delivered,
    filtered,
  };
  acct.massSends.push(record);
  const state = ctx.state;
  // WeChat reports the job's outcome later, as an event pushed to the callback URL.
  const timer = setTimeout(() => {
    void pushPlatformEvent(state, acct, {
      FromUserName: MASS_ASSISTANT_OPENID,
      Event: 'MASSSENDJOBFINISH',
      MsgID: record.msgId,
      Status: 'send success',
      TotalCount: targets.length + unknown.length,
      FilterCount: filtered.length,
      SentCount: delivered.length,
      ErrorCount: 0,
    }).catch(() => undefined);
  }, acct.limits.massJobDelayMs);
  timer.unref();
  return {
    raw: `{"errcode":0,"errmsg":"send job submission success","msg_id":${record.msgId},"msg_data_id":${record.msgDataId}}`,
  };
}

function send(ctx: ApiContext) {
  const acct = account(ctx);
  const body = obj(ctx.body);
  const touser = body.touser;
  if (!Array.isArray(touser) || touser.some((o) => typeof o !== 'string'))
    throw new ApiFail(40130, 'invalid openid list size, at least two openid');
  const openids = [...new Set(touser as string[])];
  if (openids.length < acct.limits.massMinOpenids || openids.length > acct.limits.massMaxOpenids)
    throw new ApiFail(40130, 'invalid openid list size, at least two openid');
  const targets: SandboxFollower[] = [];
  const unknown: string[] = [];
  for (const openid of openids) {
    const f = acct.followers.get(openid);
    if (f) targets.push(f);
    else unknown.push(openid);
  }
  return run(ctx, acct, '/cgi-bin/message/mass/send', targets, unknown);
}

function sendAll(ctx: ApiContext) {
  const acct = account(ctx);
  const filter = obj(obj(ctx.body).filter ?? null);
  const toAll = filter.is_to_all === true;
  const tagId = typeof filter.tag_id === 'number' ? filter.tag_id : null;
  if (!toAll && (tagId === null || !acct.tags.has(tagId)))
    throw new ApiFail(40050, 'invalid tag id');
  const targets = [...acct.followers.values()].filter((f) => toAll || f.tags.includes(tagId!));
  return run(ctx, acct, '/cgi-bin/message/mass/sendall', targets, []);
}

export const massRoutes: ApiRoute[] = [
  { method: 'POST', path: '/cgi-bin/message/mass/send', auth: true, handler: send },
  { method: 'POST', path: '/cgi-bin/message/mass/sendall', auth: true, handler: sendAll },
];
