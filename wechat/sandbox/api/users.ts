/** Follower info: user/info, user/info/batchget (≤ 100), user/get (pages of openids). */
import type { SandboxFollower } from '../state';
import { type ApiContext, ApiFail, type ApiRoute, account, data, follower, obj } from './common';

export function userInfo(f: SandboxFollower): Record<string, unknown> {
  if (!f.subscribed)
    return { subscribe: 0, openid: f.openid, ...(f.unionid ? { unionid: f.unionid } : {}) };
  return {
    subscribe: 1,
    openid: f.openid,
    language: f.language,
    subscribe_time: f.subscribeTime ?? 0,
    ...(f.unionid ? { unionid: f.unionid } : {}),
    remark: f.remark,
    groupid: f.tags[0] ?? 0,
    tagid_list: [...f.tags],
    subscribe_scene: f.subscribeScene,
    qr_scene: f.qrScene,
    qr_scene_str: f.qrSceneStr,
  };
}

function info(ctx: ApiContext) {
  return data(userInfo(follower(account(ctx), ctx.query.get('openid'))));
}

function batchget(ctx: ApiContext) {
  const acct = account(ctx);
  const list = obj(ctx.body).user_list;
  if (!Array.isArray(list) || list.length === 0) throw new ApiFail(47001, 'data format error');
  if (list.length > acct.limits.batchGetUsers)
    throw new ApiFail(45032, 'openid list size exceeds limit');
  return data({ user_info_list: list.map((u) => userInfo(follower(acct, obj(u).openid))) });
}

/** Subscribed followers in openid order, a page after `next_openid`. */
function list(ctx: ApiContext) {
  const acct = account(ctx);
  const all = [...acct.followers.values()]
    .filter((f) => f.subscribed)
    .map((f) => f.openid)
    .sort();
  const after = ctx.query.get('next_openid') ?? '';
  const start = after ? all.findIndex((o) => o > after) : 0;
  const page = start < 0 ? [] : all.slice(start, start + acct.limits.userGetPageSize);
  return data({
    total: all.length,
    count: page.length,
    ...(page.length > 0 ? { data: { openid: page } } : {}),
    next_openid: page.at(-1) ?? '',
  });
}

export const userRoutes: ApiRoute[] = [
  { method: 'GET', path: '/cgi-bin/user/info', auth: true, handler: info },
  { method: 'POST', path: '/cgi-bin/user/info/batchget', auth: true, handler: batchget },
  { method: 'GET', path: '/cgi-bin/user/get', auth: true, handler: list },
];
