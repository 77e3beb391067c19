/**
 * Pushes: customer-service messages (quota), template messages, and QR codes.
 * custom/send: 43004 not following, 45015 no open quota, 45047 quota used up, 44004 empty
 * text, 45008 a news message with more than one article. template/send: following fans only,
 * a template the account has (40037 when not: api/templates.ts); `client_msg_id` dedupes.
 */
import { randomBytes } from 'node:crypto';
import type { SandboxAccount, SandboxFollower } from '../state';
import {
  type ApiContext,
  ApiFail,
  type ApiRoute,
  account,
  data,
  follower,
  int,
  obj,
  ok,
  str,
} from './common';
import { requireTemplate } from './templates';

const CUSTOM_TYPES = new Set([
  'text',
  'image',
  'voice',
  'video',
  'music',
  'news',
  'mpnews',
  'mpnewsarticle',
  'msgmenu',
  'wxcard',
  'miniprogrampage',
]);

/** Consumes one message from the follower's quota (one at a time), or says why it cannot. */
export function consumeWindow(f: SandboxFollower, now: number): void {
  const grant = f.grants.find((g) => g.expiresAt > now);
  if (!grant) throw new ApiFail(45015, 'response out of time limit or subscription is canceled');
  if (grant.used >= grant.quota) throw new ApiFail(45047, 'out of response count limit');
  grant.used++;
}

function custom(ctx: ApiContext) {
  const acct = account(ctx);
  const body = obj(ctx.body);
  const msgtype = str(body.msgtype, 40008, 'invalid message type');
  if (!CUSTOM_TYPES.has(msgtype)) throw new ApiFail(40008, 'invalid message type');
  const payload = obj(body[msgtype] ?? null);
  if (msgtype === 'text' && (typeof payload.content !== 'string' || payload.content === '')) {
    throw new ApiFail(44004, 'empty content');
  }
  if (msgtype === 'news') {
    const articles = payload.articles;
    if (!Array.isArray(articles) || articles.length === 0)
      throw new ApiFail(44003, 'empty news data');
    if (articles.length > 1) throw new ApiFail(45008, 'article size out of limit');
  }
  const f = follower(acct, body.touser);
  if (!f.subscribed) throw new ApiFail(43004, 'require subscribe');
  consumeWindow(f, ctx.now);
  record(ctx, acct, 'customer_service', f.openid, body, null);
  return ok();
}

function newMsgId(): string {
  // 19 digits, above 2^53: a JSON number that loses precision in a naive client
  return (9_000_000_000_000_000_000n + (randomBytes(8).readBigUInt64BE(0) >> 8n)).toString();
}

function template(ctx: ApiContext) {
  const acct = account(ctx);
  const body = obj(ctx.body);
  const templateId = str(body.template_id, 40037, 'invalid template_id');
  if (templateId === '') throw new ApiFail(40037, 'invalid template_id');
  obj(body.data);
  const f = follower(acct, body.touser);
  if (!f.subscribed) throw new ApiFail(43004, 'require subscribe');
  requireTemplate(acct, templateId);
  const dedupe =
    typeof body.client_msg_id === 'string' ? `${f.openid}:${body.client_msg_id}` : null;
  let msgid = dedupe ? acct.templateSends.get(dedupe) : undefined;
  if (!msgid) {
    msgid = newMsgId();
    if (dedupe) acct.templateSends.set(dedupe, msgid);
    record(ctx, acct, 'template', f.openid, body, msgid);
  }
  return { raw: `{"errcode":0,"errmsg":"ok","msgid":${msgid}}` };
}

function record(
  ctx: ApiContext,
  acct: SandboxAccount,
  channel: 'customer_service' | 'template',
  touser: string,
  body: Record<string, unknown>,
  msgid: string | null,
) {
  ctx.state.record('sent', {
    seq: ctx.state.nextSeq(),
    time: ctx.now,
    appId: acct.appId,
    channel,
    touser,
    body,
    msgid,
  });
}

const QR_TEMP_MAX = 2_592_000;

function qrcode(ctx: ApiContext) {
  const acct = account(ctx);
  const body = obj(ctx.body);
  const action = str(body.action_name, 40097, 'invalid args');
  const scene = obj(obj(body.action_info).scene);
  const temporary = action === 'QR_SCENE' || action === 'QR_STR_SCENE';
  const numeric = action === 'QR_SCENE' || action === 'QR_LIMIT_SCENE';
  if (!['QR_SCENE', 'QR_STR_SCENE', 'QR_LIMIT_SCENE', 'QR_LIMIT_STR_SCENE'].includes(action)) {
    throw new ApiFail(40097, 'invalid args');
  }
  let sceneId: number | null = null;
  let sceneStr: string | null = null;
  if (numeric) {
    sceneId = int(scene.scene_id, 40097, 'invalid args');
    const max = action === 'QR_LIMIT_SCENE' ? 100_000 : 0xffffffff;
    if (sceneId < 1 || sceneId > max) throw new ApiFail(40097, 'invalid args');
  } else {
    sceneStr = str(scene.scene_str, 40097, 'invalid args');
    if (sceneStr.length < 1 || sceneStr.length > 64) throw new ApiFail(40097, 'invalid args');
  }
  let expireSeconds: number | null = null;
  if (temporary) {
    expireSeconds =
      body.expire_seconds === undefined ? 60 : int(body.expire_seconds, 40097, 'invalid args');
    expireSeconds = Math.min(Math.max(expireSeconds, 60), QR_TEMP_MAX);
  } else {
    const permanent = [...acct.qrcodes.values()].filter((q) => q.expiresAt === null).length;
    if (permanent >= 100_000) throw new ApiFail(45079, 'permanent qrcode count limit');
  }
  const ticket = `gQ${randomBytes(30).toString('base64url')}`;
  const id = randomBytes(12).toString('base64url');
  acct.qrcodes.set(ticket, {
    ticket,
    actionName: action,
    sceneId,
    sceneStr,
    expiresAt: expireSeconds === null ? null : ctx.now + expireSeconds * 1000,
  });
  return data({
    ticket,
    ...(expireSeconds === null ? {} : { expire_seconds: expireSeconds }),
    url: `http://weixin.qq.com/q/${id}`,
  });
}

export const messageRoutes: ApiRoute[] = [
  { method: 'POST', path: '/cgi-bin/message/custom/send', auth: true, handler: custom },
  { method: 'POST', path: '/cgi-bin/message/template/send', auth: true, handler: template },
  { method: 'POST', path: '/cgi-bin/qrcode/create', auth: true, handler: qrcode },
];
