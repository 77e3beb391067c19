/**
 * Tags with WeChat's limits: ≤ 100 per account (45056), names ≤ 30 bytes (45158), unique
 * (45157), ≤ 20 per follower (45059), ids 0/1/2 reserved (45058 to change, 45159 to apply).
 * A follower's tags keep application order: menus match the tag applied last.
 */
import type { SandboxAccount } from '../state';
import { RESERVED_TAGS, tagCount } from '../state';
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
  utf8Bytes,
} from './common';

function checkName(acct: SandboxAccount, name: string, exceptId?: number): string {
  const trimmed = name.trim();
  if (trimmed === '') throw new ApiFail(45157, 'invalid tag name');
  if (utf8Bytes(trimmed) > acct.limits.tagNameBytes) throw new ApiFail(45158, 'tag name too long');
  const taken =
    [...RESERVED_TAGS.values()].includes(trimmed) ||
    [...acct.tags.values()].some((t) => t.name === trimmed && t.id !== exceptId);
  if (taken) throw new ApiFail(45157, 'invalid tag name');
  return trimmed;
}

function existingTag(acct: SandboxAccount, id: unknown): number {
  const tagId = int(id, 45159, 'invalid tag id');
  if (RESERVED_TAGS.has(tagId)) throw new ApiFail(45058, "can't modify sys tag");
  if (!acct.tags.has(tagId)) throw new ApiFail(45159, 'invalid tag id');
  return tagId;
}

function create(ctx: ApiContext) {
  const acct = account(ctx);
  const name = checkName(acct, str(obj(obj(ctx.body).tag).name, 45157, 'invalid tag name'));
  if (acct.tags.size >= acct.limits.tagsPerAccount)
    throw new ApiFail(45056, 'too many tag now, no need to add new');
  const tag = { id: acct.nextTagId++, name };
  acct.tags.set(tag.id, tag);
  return data({ tag });
}

function get(ctx: ApiContext) {
  const acct = account(ctx);
  const star = { id: 2, name: RESERVED_TAGS.get(2)!, count: tagCount(acct, 2) };
  return data({
    tags: [star, ...[...acct.tags.values()].map((t) => ({ ...t, count: tagCount(acct, t.id) }))],
  });
}

function update(ctx: ApiContext) {
  const acct = account(ctx);
  const tag = obj(obj(ctx.body).tag);
  const id = existingTag(acct, tag.id);
  acct.tags.get(id)!.name = checkName(acct, str(tag.name, 45157, 'invalid tag name'), id);
  return ok();
}

function remove(ctx: ApiContext) {
  const acct = account(ctx);
  const id = existingTag(acct, obj(obj(ctx.body).tag).id);
  if (tagCount(acct, id) > 100_000)
    throw new ApiFail(45057, "can't delete the tag that has too many fans");
  acct.tags.delete(id);
  for (const f of acct.followers.values()) f.tags = f.tags.filter((t) => t !== id);
  return ok();
}

function members(ctx: ApiContext, add: boolean) {
  const acct = account(ctx);
  const body = obj(ctx.body);
  const tagId = int(body.tagid, 45159, 'invalid tag id');
  if (!acct.tags.has(tagId)) throw new ApiFail(45159, 'invalid tag id');
  const list = body.openid_list;
  if (!Array.isArray(list) || list.length === 0)
    throw new ApiFail(40032, 'invalid openid list size');
  if (list.length > acct.limits.batchTagOpenids)
    throw new ApiFail(40032, 'invalid openid list size');
  const fans = list.map((o) => follower(acct, o));
  if (add) {
    // all or nothing, as WeChat checks before applying
    const over = fans.find(
      (f) => !f.tags.includes(tagId) && f.tags.length >= acct.limits.tagsPerFollower,
    );
    if (over) throw new ApiFail(45059, 'user tag count exceeds limit');
    for (const f of fans) f.tags = [...f.tags.filter((t) => t !== tagId), tagId];
  } else {
    for (const f of fans) f.tags = f.tags.filter((t) => t !== tagId);
  }
  return ok();
}

function idList(ctx: ApiContext) {
  return data({ tagid_list: [...follower(account(ctx), obj(ctx.body).openid).tags] });
}

function tagFans(ctx: ApiContext) {
  const acct = account(ctx);
  const body = obj(ctx.body);
  const tagId = int(body.tagid, 45159, 'invalid tag id');
  if (!acct.tags.has(tagId) && !RESERVED_TAGS.has(tagId))
    throw new ApiFail(45159, 'invalid tag id');
  const all = [...acct.followers.values()]
    .filter((f) => f.tags.includes(tagId))
    .map((f) => f.openid)
    .sort();
  const after = typeof body.next_openid === 'string' ? body.next_openid : '';
  const page = all.filter((o) => !after || o > after).slice(0, 10_000);
  return data({ count: page.length, data: { openid: page }, next_openid: page.at(-1) ?? '' });
}

export const tagRoutes: ApiRoute[] = [
  { method: 'POST', path: '/cgi-bin/tags/create', auth: true, handler: create },
  { method: 'GET', path: '/cgi-bin/tags/get', auth: true, handler: get },
  { method: 'POST', path: '/cgi-bin/tags/update', auth: true, handler: update },
  { method: 'POST', path: '/cgi-bin/tags/delete', auth: true, handler: remove },
  {
    method: 'POST',
    path: '/cgi-bin/tags/members/batchtagging',
    auth: true,
    handler: (c) => members(c, true),
  },
  {
    method: 'POST',
    path: '/cgi-bin/tags/members/batchuntagging',
    auth: true,
    handler: (c) => members(c, false),
  },
  { method: 'POST', path: '/cgi-bin/tags/getidlist', auth: true, handler: idList },
  { method: 'POST', path: '/cgi-bin/user/tag/get', auth: true, handler: tagFans },
];
