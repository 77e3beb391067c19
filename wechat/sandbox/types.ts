/** Shapes shared by the sandbox server's control API and its TypeScript client. */
import type { CallbackMode } from '../callback';

export interface SandboxLimits {
  tagsPerAccount: number;
  tagsPerFollower: number;
  tagNameBytes: number;
  batchTagOpenids: number;
  batchGetUsers: number;
  userGetPageSize: number;
  conditionalMenus: number;
  tokenTtlSeconds: number;
  /** How long a token replaced by force_refresh keeps working. */
  tokenGraceSeconds: number;
  /** Follow / scan / menu click: this many customer-service messages within this window. */
  eventGrantSeconds: number;
  eventGrantQuota: number;
  /** A fan's message: this many customer-service messages within this window. */
  messageGrantSeconds: number;
  messageGrantQuota: number;
  /** mass/send: openids per call (WeChat: 2–10,000). */
  massMinOpenids: number;
  massMaxOpenids: number;
  /** Service account: mass messages a fan receives per calendar month (Beijing time); more are filtered. */
  massPerFanPerMonth: number;
  /** How long after a mass send its MASSSENDJOBFINISH event is pushed (WeChat: minutes). */
  massJobDelayMs: number;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  tagsPerAccount: 100,
  tagsPerFollower: 20,
  tagNameBytes: 30,
  batchTagOpenids: 50,
  batchGetUsers: 100,
  userGetPageSize: 10_000,
  conditionalMenus: 20,
  tokenTtlSeconds: 7200,
  tokenGraceSeconds: 300,
  eventGrantSeconds: 60,
  eventGrantQuota: 3,
  messageGrantSeconds: 48 * 3600,
  messageGrantQuota: 5,
  massMinOpenids: 2,
  massMaxOpenids: 10_000,
  massPerFanPerMonth: 4,
  massJobDelayMs: 1000,
};

export interface AccountConfig {
  appId: string;
  secret: string;
  /** Callback Token. */
  token: string;
  aesKey?: string;
  mode?: CallbackMode;
  /** Where simulated pushes are POSTed. */
  callbackUrl?: string;
  /** The account's original id (gh_…); derived from appId when absent. */
  originalId?: string;
  limits?: Partial<SandboxLimits>;
}

export interface AccountSummary {
  appId: string;
  originalId: string;
  mode: CallbackMode;
  callbackUrl: string | null;
  followers: number;
  tags: { id: number; name: string; count: number }[];
  hasMenu: boolean;
  conditionalMenus: number;
  /** How many private templates the account has. */
  templates: number;
  limits: SandboxLimits;
}

export interface Grant {
  kind: 'event' | 'message';
  openedAt: number;
  expiresAt: number;
  quota: number;
  used: number;
}

export interface FollowerView {
  openid: string;
  subscribed: boolean;
  subscribeTime: number | null;
  unsubscribeTime: number | null;
  subscribeScene: string;
  qrScene: number;
  qrSceneStr: string;
  language: string;
  remark: string;
  unionid: string | null;
  /** In application order: the last one is the most recently applied. */
  tags: number[];
  grants: Grant[];
  lastInteractionAt: number | null;
}

/** A private template-message template of the account (WeChat's fields, camelCase). */
export interface SandboxTemplate {
  templateId: string;
  title: string;
  primaryIndustry: string;
  deputyIndustry: string;
  /** `会员名称：{{thing1.DATA}}\n…`: one `{{key.DATA}}` per keyword. */
  content: string;
  example: string;
}

/** A template to add through the control API (an id is made up when none is given). */
export interface SeedTemplate {
  templateId?: string;
  title: string;
  content: string;
  example?: string;
  primaryIndustry?: string;
  deputyIndustry?: string;
}

export interface SeedFollower {
  openid: string;
  subscribed?: boolean;
  subscribeScene?: string;
  unionid?: string;
  language?: string;
  tags?: number[];
  /** Mass messages the fan already received this month (each dated now). */
  massThisMonth?: number;
}

export interface CallRecord {
  seq: number;
  /** Sandbox clock, ms. */
  time: number;
  method: string;
  path: string;
  query: Record<string, string>;
  appId: string | null;
  body: unknown;
  status: number;
  response: unknown;
  errcode: number;
  durationMs: number;
  faultId: number | null;
}

export interface FaultSpec {
  /** Exact API path (`/cgi-bin/tags/create`) or `*` for every API call. */
  path: string;
  appId?: string;
  /** How many matching calls it affects (default 1). */
  count?: number;
  errcode?: number;
  errmsg?: string;
  /** Answer with this HTTP status (and a non-WeChat body) instead. */
  httpStatus?: number;
  /** Wait this long before answering (≤ 60 s); alone, the call then proceeds normally. */
  delayMs?: number;
}
export interface Fault extends Required<Pick<FaultSpec, 'path'>> {
  id: number;
  appId: string | null;
  remaining: number;
  errcode: number | null;
  errmsg: string | null;
  httpStatus: number | null;
  delayMs: number;
}

export interface SentMessage {
  seq: number;
  time: number;
  appId: string;
  channel: 'customer_service' | 'template';
  touser: string;
  body: Record<string, unknown>;
  msgid: string | null;
}

/** One accepted `mass/send` or `mass/sendall`: who got it and who was filtered out. */
export interface MassSendRecord {
  seq: number;
  time: number;
  appId: string;
  path: string;
  msgId: string;
  msgDataId: string;
  clientmsgid: string | null;
  msgtype: string;
  /** The message without its openid list. */
  body: Record<string, unknown>;
  delivered: string[];
  /** Not following, unknown, or over the per-fan monthly limit (FilterCount). */
  filtered: string[];
}

/** The sandbox's mass-send ledger for an account: the sends, and per fan how many this month. */
export interface MassView {
  sends: MassSendRecord[];
  receivedThisMonth: Record<string, number>;
}

export type SimulateKind = 'follow' | 'unfollow' | 'scan' | 'text' | 'click' | 'view' | 'location';

export interface SimulateRequest {
  openid: string;
  /** follow/scan: the QR scene (without `qrscene_`). */
  scene?: string;
  /** follow/scan: the ticket (looked up to find its scene when `scene` is absent). */
  ticket?: string;
  /** text */
  content?: string;
  /** click */
  key?: string;
  /** view */
  url?: string;
  latitude?: number;
  longitude?: number;
  precision?: number;
  /** Delivery attempts when the app fails or is slow (WeChat: 3). Default 3. */
  attempts?: number;
  /** Per-attempt timeout (WeChat: 5 s). */
  timeoutMs?: number;
  /** Deliver the identical push twice (as a WeChat retry would). */
  duplicate?: boolean;
}

export interface DeliveryAttempt {
  attempt: number;
  status: number | null;
  body: string;
  error: string | null;
  durationMs: number;
}

export interface PassiveReply {
  /** 'none' for an empty body or `success`; 'invalid' when the fan would see an error. */
  kind: 'none' | 'message' | 'invalid';
  encrypted: boolean;
  msgType?: string;
  content?: string;
  fields?: Record<string, unknown>;
  error?: string;
}

export interface SimulateResult {
  kind: SimulateKind;
  /** The push's plaintext fields. */
  fields: Record<string, string | number>;
  delivered: boolean;
  attempts: DeliveryAttempt[];
  reply: PassiveReply | null;
  follower: FollowerView;
}

export interface Delivery extends SimulateResult {
  seq: number;
  time: number;
  appId: string;
  url: string | null;
}
