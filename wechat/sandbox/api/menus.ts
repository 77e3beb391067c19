/**
 * Custom menus: a default menu plus conditional menus matched on `tag_id` only (65320 for
 * any other rule). A follower sees the newest conditional menu of the tag applied to them
 * last (docs/wechat.md#menus); 65303 without a default menu.
 */
import type { ConditionalMenu, MatchRule, MenuButton } from '../../api-types';
import type { SandboxAccount, SandboxFollower } from '../state';
import {
  type ApiContext,
  ApiFail,
  type ApiRoute,
  account,
  data,
  obj,
  ok,
  str,
  utf8Bytes,
} from './common';

const KEYED = new Set([
  'click',
  'scancode_push',
  'scancode_waitmsg',
  'pic_sysphoto',
  'pic_photo_or_album',
  'pic_weixin',
  'location_select',
]);

function checkButton(raw: unknown, top: boolean): MenuButton {
  const b = obj(raw);
  const name = str(b.name, 40018, 'invalid button name size');
  if (name === '' || utf8Bytes(name) > (top ? 16 : 60))
    throw new ApiFail(40018, 'invalid button name size');
  if (top && Array.isArray(b.sub_button) && b.sub_button.length > 0) {
    if (b.sub_button.length > 5) throw new ApiFail(40023, 'invalid sub button size');
    return { name, sub_button: b.sub_button.map((s) => checkButton(s, false)) };
  }
  const type = str(b.type, 40017, 'invalid button type');
  if (KEYED.has(type)) {
    const key = str(b.key, 40019, 'invalid button key size');
    if (key === '' || utf8Bytes(key) > 128) throw new ApiFail(40019, 'invalid button key size');
  } else if (type === 'view' || type === 'miniprogram') {
    const url = str(b.url, 40055, 'invalid button url domain');
    if (!/^https?:\/\//.test(url) || utf8Bytes(url) > 1024)
      throw new ApiFail(40055, 'invalid button url domain');
  } else if (!['media_id', 'article_id', 'article_view_limited'].includes(type)) {
    throw new ApiFail(40017, 'invalid button type');
  }
  return b as unknown as MenuButton;
}

function checkMenu(body: Record<string, unknown>): MenuButton[] {
  const buttons = body.button;
  if (!Array.isArray(buttons) || buttons.length === 0 || buttons.length > 3) {
    throw new ApiFail(40016, 'invalid button size');
  }
  return buttons.map((b) => checkButton(b, true));
}

function create(ctx: ApiContext) {
  const acct = account(ctx);
  const button = checkMenu(obj(ctx.body));
  acct.menu = { button, menuid: String(acct.nextMenuId++) };
  return ok();
}

function get(ctx: ApiContext) {
  const acct = account(ctx);
  if (!acct.menu) throw new ApiFail(46003, 'menu no exist');
  return data({
    menu: { button: acct.menu.button, menuid: acct.menu.menuid },
    ...(acct.conditionalMenus.length > 0 ? { conditionalmenu: acct.conditionalMenus } : {}),
  });
}

function remove(ctx: ApiContext) {
  const acct = account(ctx);
  acct.menu = null;
  acct.conditionalMenus = [];
  return ok();
}

function addConditional(ctx: ApiContext) {
  const acct = account(ctx);
  const body = obj(ctx.body);
  const button = checkMenu(body);
  if (body.matchrule === undefined) throw new ApiFail(65304, 'match rule empty');
  const rule = obj(body.matchrule);
  const keys = Object.keys(rule).filter(
    (k) => rule[k] !== '' && rule[k] !== undefined && rule[k] !== null,
  );
  if (keys.length === 0) throw new ApiFail(65304, 'match rule empty');
  if (keys.some((k) => k !== 'tag_id' && k !== 'client_platform_type')) {
    throw new ApiFail(65320, 'matchrule only supports tag_id and client_platform_type');
  }
  if (!acct.menu) throw new ApiFail(65303, 'there is no selfmenu, please create selfmenu first');
  const matchrule: MatchRule = {};
  if (rule.tag_id !== undefined) {
    const tagId = String(rule.tag_id);
    if (!/^\d+$/.test(tagId) || !acct.tags.has(Number(tagId)))
      throw new ApiFail(40003, 'invalid tag_id');
    matchrule.tag_id = tagId;
  }
  if (rule.client_platform_type !== undefined)
    matchrule.client_platform_type = String(rule.client_platform_type);
  if (acct.conditionalMenus.length >= acct.limits.conditionalMenus) {
    throw new ApiFail(65305, 'personalized menu count limit reached');
  }
  const menu: ConditionalMenu = { button, matchrule, menuid: String(acct.nextMenuId++) };
  acct.conditionalMenus.push(menu);
  return data({ menuid: menu.menuid });
}

function delConditional(ctx: ApiContext) {
  const acct = account(ctx);
  const menuid = String(obj(ctx.body).menuid ?? '');
  const before = acct.conditionalMenus.length;
  acct.conditionalMenus = acct.conditionalMenus.filter((m) => m.menuid !== menuid);
  if (acct.conditionalMenus.length === before) throw new ApiFail(65301, 'no such menuid');
  return ok();
}

/** The menu a follower sees: by their tags, last applied first; newest conditional menu wins. */
export function matchMenu(
  acct: SandboxAccount,
  f: SandboxFollower,
): { button: MenuButton[]; menuid: string } | null {
  for (let i = f.tags.length - 1; i >= 0; i--) {
    const tagId = String(f.tags[i]);
    for (let j = acct.conditionalMenus.length - 1; j >= 0; j--) {
      const m = acct.conditionalMenus[j]!;
      if (m.matchrule.tag_id === tagId) return { button: m.button, menuid: m.menuid };
    }
  }
  return acct.menu;
}

function tryMatch(ctx: ApiContext) {
  const acct = account(ctx);
  const userId = str(obj(ctx.body).user_id, 40003, 'invalid openid');
  const f = acct.followers.get(userId);
  if (!f) throw new ApiFail(65302, 'no such user');
  const menu = matchMenu(acct, f);
  if (!menu) throw new ApiFail(46003, 'menu no exist');
  return data({ button: menu.button });
}

export const menuRoutes: ApiRoute[] = [
  { method: 'POST', path: '/cgi-bin/menu/create', auth: true, handler: create },
  { method: 'GET', path: '/cgi-bin/menu/get', auth: true, handler: get },
  { method: 'GET', path: '/cgi-bin/menu/delete', auth: true, handler: remove },
  { method: 'POST', path: '/cgi-bin/menu/addconditional', auth: true, handler: addConditional },
  { method: 'POST', path: '/cgi-bin/menu/delconditional', auth: true, handler: delConditional },
  { method: 'POST', path: '/cgi-bin/menu/trymatch', auth: true, handler: tryMatch },
];
