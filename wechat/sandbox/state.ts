/** The sandbox's in-memory world: accounts, tokens, followers, tags, menus, calls, faults. */
import { createHash } from 'node:crypto';
import type { CallbackMode } from '../callback';
import type { ConditionalMenu, MenuButton } from '../api-types';
import {
  type AccountConfig,
  type AccountSummary,
  type CallRecord,
  DEFAULT_LIMITS,
  type Delivery,
  type Fault,
  type FaultSpec,
  type FollowerView,
  type Grant,
  type MassSendRecord,
  type SandboxLimits,
  type SandboxTemplate,
  type SentMessage,
} from './types';
import { seedDefaultTemplates } from './templates';

export const MAX_RECORDS = 5000;
export const MAX_DELAY_MS = 60_000;

export interface SandboxFollower {
  openid: string;
  unionid: string | null;
  subscribed: boolean;
  subscribeTime: number | null;
  unsubscribeTime: number | null;
  subscribeScene: string;
  qrScene: number;
  qrSceneStr: string;
  language: string;
  remark: string;
  tags: number[];
  grants: Grant[];
  lastInteractionAt: number | null;
  /** When the fan received mass messages (sandbox ms): at most `massPerFanPerMonth` a month. */
  massReceived: number[];
}

export interface QrCode {
  ticket: string;
  actionName: string;
  sceneId: number | null;
  sceneStr: string | null;
  expiresAt: number | null;
}

export interface SandboxAccount {
  appId: string;
  secret: string;
  token: string;
  aesKey: string | undefined;
  mode: CallbackMode;
  callbackUrl: string | null;
  originalId: string;
  limits: SandboxLimits;
  /** The stable_token slot. */
  currentToken: string | null;
  /** The legacy GET /cgi-bin/token slot (independent of the stable one). */
  legacyToken: string | null;
  tags: Map<number, { id: number; name: string }>;
  nextTagId: number;
  followers: Map<string, SandboxFollower>;
  menu: { button: MenuButton[]; menuid: string } | null;
  conditionalMenus: ConditionalMenu[];
  nextMenuId: number;
  qrcodes: Map<string, QrCode>;
  templateSends: Map<string, string>;
  /** Private template-message templates by id (seeded with a few; see api/templates.ts). */
  templates: Map<string, SandboxTemplate>;
  /** Accepted mass sends, and their clientmsgids (a repeat within 24 h is 45065). */
  massSends: MassSendRecord[];
  massClientIds: Map<string, number>;
}

export interface TokenEntry {
  appId: string;
  expiresAt: number;
  revoked: boolean;
}

/** Reserved tag ids (docs/wechat.md#tags): 0, 1 and 2 are WeChat's own. */
export const RESERVED_TAGS: ReadonlyMap<number, string> = new Map([
  [0, '未分组'],
  [1, '黑名单'],
  [2, '星标组'],
]);

export class SandboxState {
  readonly accounts = new Map<string, SandboxAccount>();
  readonly tokens = new Map<string, TokenEntry>();
  calls: CallRecord[] = [];
  deliveries: Delivery[] = [];
  sent: SentMessage[] = [];
  faults: Fault[] = [];
  offsetMs = 0;
  private seq = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  /** Sandbox time in ms: the injected clock plus the offset tests set. */
  now(): number {
    return this.clock() + this.offsetMs;
  }

  nextSeq(): number {
    return ++this.seq;
  }

  reset(): void {
    this.accounts.clear();
    this.tokens.clear();
    this.calls = [];
    this.deliveries = [];
    this.sent = [];
    this.faults = [];
    this.offsetMs = 0;
  }

  register(config: AccountConfig): SandboxAccount {
    const existing = this.accounts.get(config.appId);
    const limits = { ...DEFAULT_LIMITS, ...(existing?.limits ?? {}), ...(config.limits ?? {}) };
    const settings = {
      appId: config.appId,
      secret: config.secret,
      token: config.token,
      aesKey: config.aesKey,
      mode: config.mode ?? 'plaintext',
      callbackUrl: config.callbackUrl ?? null,
      originalId: config.originalId ?? defaultOriginalId(config.appId),
      limits,
    };
    if (existing) return Object.assign(existing, settings);
    const account: SandboxAccount = {
      ...settings,
      currentToken: null,
      legacyToken: null,
      tags: new Map(),
      nextTagId: 100,
      followers: new Map(),
      menu: null,
      conditionalMenus: [],
      nextMenuId: 400_000_001,
      qrcodes: new Map(),
      templateSends: new Map(),
      templates: new Map(),
      massSends: [],
      massClientIds: new Map(),
    };
    seedDefaultTemplates(account);
    this.accounts.set(config.appId, account);
    return account;
  }

  record<T extends { seq: number }>(list: 'calls' | 'deliveries' | 'sent', item: T): void {
    const arr = this[list] as unknown as T[];
    arr.push(item);
    if (arr.length > MAX_RECORDS) arr.splice(0, arr.length - MAX_RECORDS);
  }

  addFault(spec: FaultSpec): Fault {
    const fault: Fault = {
      id: this.nextSeq(),
      path: spec.path,
      appId: spec.appId ?? null,
      remaining: Math.max(1, Math.floor(spec.count ?? 1)),
      errcode: spec.errcode ?? null,
      errmsg: spec.errmsg ?? null,
      httpStatus: spec.httpStatus ?? null,
      delayMs: Math.min(MAX_DELAY_MS, Math.max(0, spec.delayMs ?? 0)),
    };
    this.faults.push(fault);
    return fault;
  }

  /** Consumes one use of the first fault matching this call. */
  takeFault(path: string, appId: string | null): Fault | null {
    const fault = this.faults.find(
      (f) =>
        f.remaining > 0 && (f.path === '*' || f.path === path) && (!f.appId || f.appId === appId),
    );
    if (!fault) return null;
    fault.remaining--;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return fault;
  }

  summary(account: SandboxAccount): AccountSummary {
    return {
      appId: account.appId,
      originalId: account.originalId,
      mode: account.mode,
      callbackUrl: account.callbackUrl,
      followers: account.followers.size,
      tags: [...account.tags.values()].map((t) => ({ ...t, count: tagCount(account, t.id) })),
      hasMenu: account.menu !== null,
      conditionalMenus: account.conditionalMenus.length,
      templates: account.templates.size,
      limits: account.limits,
    };
  }
}

export function defaultOriginalId(appId: string): string {
  return `gh_${createHash('sha1').update(appId).digest('hex').slice(0, 12)}`;
}

export function tagCount(account: SandboxAccount, tagId: number): number {
  let n = 0;
  for (const f of account.followers.values()) if (f.tags.includes(tagId)) n++;
  return n;
}

export function newFollower(openid: string, now: number): SandboxFollower {
  return {
    openid,
    unionid: null,
    subscribed: true,
    subscribeTime: Math.floor(now / 1000),
    unsubscribeTime: null,
    subscribeScene: 'ADD_SCENE_SEARCH',
    qrScene: 0,
    qrSceneStr: '',
    language: 'zh_CN',
    remark: '',
    tags: [],
    grants: [],
    lastInteractionAt: null,
    massReceived: [],
  };
}

export function followerView(f: SandboxFollower): FollowerView {
  return {
    openid: f.openid,
    subscribed: f.subscribed,
    subscribeTime: f.subscribeTime,
    unsubscribeTime: f.unsubscribeTime,
    subscribeScene: f.subscribeScene,
    qrScene: f.qrScene,
    qrSceneStr: f.qrSceneStr,
    language: f.language,
    remark: f.remark,
    unionid: f.unionid,
    tags: [...f.tags],
    grants: f.grants.map((g) => ({ ...g })),
    lastInteractionAt: f.lastInteractionAt,
  };
}

/**
 * An interaction opens the follower's customer-service quota (docs/wechat.md#pushing-messages):
 * a fan's message allows 5 messages within 48 h, a follow/scan/menu click 3 within 1 minute.
 * Quotas do not add up: each action resets the count to its own quota, and the expiry to the
 * later of the old and the new one (the follower keeps one grant).
 */
export function openGrant(
  account: SandboxAccount,
  f: SandboxFollower,
  kind: Grant['kind'],
  now: number,
): void {
  const l = account.limits;
  const [seconds, quota] =
    kind === 'message'
      ? [l.messageGrantSeconds, l.messageGrantQuota]
      : [l.eventGrantSeconds, l.eventGrantQuota];
  const expiresAt = Math.max(f.grants[0]?.expiresAt ?? 0, now + seconds * 1000);
  f.grants = [{ kind, openedAt: now, expiresAt, quota, used: 0 }];
  f.lastInteractionAt = now;
}

/** The calendar month (Beijing time, as WeChat counts) of a sandbox instant: `YYYY-MM`. */
export function beijingMonth(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 7);
}

/** Mass messages the fan received in the calendar month of `now`. */
export function massThisMonth(f: SandboxFollower, now: number): number {
  const month = beijingMonth(now);
  return f.massReceived.filter((t) => beijingMonth(t) === month).length;
}
