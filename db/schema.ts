/**
 * The core tables. SQL names are snake_case, TypeScript keys camelCase.
 * Brand-owned rows carry brand_id so every query can be scoped to one tenant.
 */
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const id = () => uuid('id').primaryKey().defaultRandom();
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
const brandRef = () =>
  uuid('brand_id')
    .notNull()
    .references(() => brands.id, { onDelete: 'cascade' });

export const brands = pgTable('brands', {
  id: id(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  /** WeChat AppId (wx…) and the account's original id (gh_…). */
  appId: text('app_id').notNull(),
  originalId: text('original_id'),
  /** Secrets are stored encrypted with FANFARE_SECRET_KEY (AES-256-GCM, base64). */
  appSecretEnc: text('app_secret_enc').notNull(),
  callbackTokenEnc: text('callback_token_enc').notNull(),
  aesKeyEnc: text('aes_key_enc'),
  /** WeChat's message encryption mode for callbacks (safe mode refuses plaintext pushes). */
  callbackMode: text('callback_mode', { enum: ['plaintext', 'compatible', 'safe'] })
    .notNull()
    .default('plaintext'),
  webhookSecretEnc: text('webhook_secret_enc'),
  /** Per-brand override of WECHAT_API_BASE (e.g. the sandbox). */
  apiBase: text('api_base'),
  timezone: text('timezone').notNull().default('Asia/Shanghai'),
  /** Brand-wide cap on pushes per follower across all flows, e.g. {max: 3, per: '1d'}; null: none. */
  frequencyCap: jsonb('frequency_cap').$type<{ max: number; per: string }>(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const members = pgTable(
  'members',
  {
    id: id(),
    brandId: brandRef(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role', { enum: ['owner', 'editor', 'viewer'] })
      .notNull()
      .default('editor'),
    locale: text('locale', { enum: ['zh-CN', 'en'] }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('members_brand_email_uq').on(t.brandId, t.email)],
);

export const followers = pgTable(
  'followers',
  {
    id: id(),
    brandId: brandRef(),
    openid: text('openid').notNull(),
    unionid: text('unionid'),
    subscribed: boolean('subscribed').notNull().default(false),
    subscribedAt: timestamp('subscribed_at', { withTimezone: true }),
    firstSubscribedAt: timestamp('first_subscribed_at', { withTimezone: true }),
    unsubscribedAt: timestamp('unsubscribed_at', { withTimezone: true }),
    subscribeScene: text('subscribe_scene'),
    qrScene: text('qr_scene'),
    gender: text('gender', { enum: ['male', 'female', 'other'] }),
    province: text('province'),
    city: text('city'),
    /** MM-DD: WeChat no longer returns it; the brand collects it. */
    birthday: text('birthday'),
    phone: text('phone'),
    tier: text('tier'),
    points: integer('points').notNull().default(0),
    totalSpent: numeric('total_spent', { precision: 14, scale: 2 }).notNull().default('0'),
    orderCount: integer('order_count').notNull().default(0),
    lastPurchaseAt: timestamp('last_purchase_at', { withTimezone: true }),
    lastInteractionAt: timestamp('last_interaction_at', { withTimezone: true }),
    /** Customer-service window bookkeeping (WECHAT.md: 48 h, 3/min after follow, 5/48 h). */
    windowOpenedAt: timestamp('window_opened_at', { withTimezone: true }),
    windowMessagesSent: integer('window_messages_sent').notNull().default(0),
    attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('followers_brand_openid_uq').on(t.brandId, t.openid),
    index('followers_brand_birthday_idx').on(t.brandId, t.birthday),
  ],
);

export const followerTags = pgTable(
  'follower_tags',
  {
    brandId: brandRef(),
    followerId: uuid('follower_id')
      .notNull()
      .references(() => followers.id, { onDelete: 'cascade' }),
    tag: text('tag').notNull(),
    /** The WeChat tag id once the tag exists on WeChat. */
    wechatTagId: integer('wechat_tag_id'),
    source: text('source', { enum: ['flow', 'api', 'ui', 'wechat'] })
      .notNull()
      .default('flow'),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.followerId, t.tag] }),
    index('follower_tags_brand_tag_idx').on(t.brandId, t.tag),
  ],
);

export const events = pgTable(
  'events',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    brandId: brandRef(),
    followerId: uuid('follower_id').references(() => followers.id, { onDelete: 'set null' }),
    openid: text('openid'),
    /** follow | unfollow | qr_scan | keyword | menu_click | location | purchase | profile | tag_added | custom */
    type: text('type').notNull(),
    name: text('name'),
    /** WeChat: MsgId, or FromUserName + CreateTime + Event; API: the caller's key. */
    dedupeKey: text('dedupe_key').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    /** Null until the dispatcher has handed the event to Temporal (the outbox). */
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('events_brand_dedupe_uq').on(t.brandId, t.dedupeKey),
    index('events_undispatched_idx')
      .on(t.receivedAt)
      .where(sql`${t.dispatchedAt} is null`),
    index('events_follower_idx').on(t.followerId, t.occurredAt),
  ],
);

export const flows = pgTable(
  'flows',
  {
    id: id(),
    brandId: brandRef(),
    name: text('name').notNull(),
    status: text('status', { enum: ['draft', 'live', 'paused', 'archived'] })
      .notNull()
      .default('draft'),
    /** The working copy: a fanfare.flow/v1 document. */
    draft: jsonb('draft').$type<Record<string, unknown>>().notNull(),
    liveVersionId: uuid('live_version_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('flows_brand_idx').on(t.brandId, t.updatedAt)],
);

export const flowVersions = pgTable(
  'flow_versions',
  {
    id: id(),
    flowId: uuid('flow_id')
      .notNull()
      .references(() => flows.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    document: jsonb('document').$type<Record<string, unknown>>().notNull(),
    plan: jsonb('plan').$type<Record<string, unknown>>().notNull(),
    contentHash: text('content_hash').notNull(),
    publishedBy: uuid('published_by').references(() => members.id, { onDelete: 'set null' }),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('flow_versions_flow_version_uq').on(t.flowId, t.version)],
);

export const journeys = pgTable(
  'journeys',
  {
    id: id(),
    brandId: brandRef(),
    flowId: uuid('flow_id')
      .notNull()
      .references(() => flows.id, { onDelete: 'cascade' }),
    flowVersionId: uuid('flow_version_id')
      .notNull()
      .references(() => flowVersions.id),
    followerId: uuid('follower_id')
      .notNull()
      .references(() => followers.id, { onDelete: 'cascade' }),
    /** Deterministic Temporal workflow id: one journey per (flow, follower, entry key). */
    workflowId: text('workflow_id').notNull().unique(),
    entryKey: text('entry_key').notNull(),
    status: text('status', { enum: ['active', 'completed', 'exited', 'converted', 'failed'] })
      .notNull()
      .default('active'),
    currentStep: text('current_step'),
    exitReason: text('exit_reason'),
    enteredAt: timestamp('entered_at', { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [
    /** once: entry key 'once'; after_exit / always: the entering event's id. */
    uniqueIndex('journeys_entry_uq').on(t.flowId, t.followerId, t.entryKey),
    index('journeys_flow_status_idx').on(t.flowId, t.status),
    index('journeys_follower_idx').on(t.followerId, t.enteredAt),
  ],
);

export const journeySteps = pgTable(
  'journey_steps',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    journeyId: uuid('journey_id')
      .notNull()
      .references(() => journeys.id, { onDelete: 'cascade' }),
    nodeId: text('node_id').notNull(),
    /** workflow id + node + visit: a retried activity updates its row instead of adding one. */
    stepKey: text('step_key').notNull().unique(),
    kind: text('kind').notNull(),
    status: text('status', { enum: ['entered', 'completed', 'failed', 'skipped'] }).notNull(),
    reason: text('reason'),
    output: jsonb('output').$type<Record<string, unknown>>(),
    enteredAt: timestamp('entered_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [index('journey_steps_journey_idx').on(t.journeyId, t.enteredAt)],
);

export const messages = pgTable(
  'messages',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    brandId: brandRef(),
    followerId: uuid('follower_id').references(() => followers.id, { onDelete: 'set null' }),
    journeyId: uuid('journey_id').references(() => journeys.id, { onDelete: 'set null' }),
    /** workflow id + step: a retried activity finds its earlier attempt here. */
    idempotencyKey: text('idempotency_key').notNull().unique(),
    channel: text('channel', {
      enum: ['passive_reply', 'customer_service', 'subscribe', 'template', 'mass'],
    }),
    msgType: text('msg_type').notNull(),
    content: jsonb('content').$type<Record<string, unknown>>().notNull(),
    outcome: text('outcome', { enum: ['pending', 'sent', 'failed', 'deferred', 'skipped'] })
      .notNull()
      .default('pending'),
    errcode: integer('errcode'),
    reason: text('reason'),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [index('messages_follower_idx').on(t.followerId, t.createdAt)],
);

export const couponPools = pgTable(
  'coupon_pools',
  {
    id: id(),
    brandId: brandRef(),
    name: text('name').notNull(),
    description: text('description'),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('coupon_pools_brand_name_uq').on(t.brandId, t.name)],
);

export const couponCodes = pgTable(
  'coupon_codes',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    poolId: uuid('pool_id')
      .notNull()
      .references(() => couponPools.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    status: text('status', { enum: ['available', 'issued', 'redeemed'] })
      .notNull()
      .default('available'),
    followerId: uuid('follower_id').references(() => followers.id, { onDelete: 'set null' }),
    journeyId: uuid('journey_id').references(() => journeys.id, { onDelete: 'set null' }),
    /** workflow id + step: at most one code per journey step. */
    issueKey: text('issue_key').unique(),
    issuedAt: timestamp('issued_at', { withTimezone: true }),
    redeemedAt: timestamp('redeemed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('coupon_codes_pool_code_uq').on(t.poolId, t.code),
    index('coupon_codes_available_idx')
      .on(t.poolId, t.id)
      .where(sql`${t.status} = 'available'`),
  ],
);

export const apiKeys = pgTable('api_keys', {
  id: id(),
  brandId: brandRef(),
  name: text('name').notNull(),
  /** The first characters of the key, shown in the UI to tell keys apart. */
  prefix: text('prefix').notNull(),
  /** SHA-256 of the whole key; the key itself is shown once and never stored. */
  keyHash: text('key_hash').notNull().unique(),
  createdAt: createdAt(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});

/** One access token per brand, refreshed under an advisory lock (WECHAT.md: stable_token). */
export const wechatTokens = pgTable('wechat_tokens', {
  brandId: uuid('brand_id')
    .primaryKey()
    .references(() => brands.id, { onDelete: 'cascade' }),
  accessTokenEnc: text('access_token_enc').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  updatedAt: updatedAt(),
});

/** The brand's tags, by name, with their WeChat tag id once created there. */
export const tags = pgTable(
  'tags',
  {
    id: id(),
    brandId: brandRef(),
    name: text('name').notNull(),
    wechatTagId: integer('wechat_tag_id'),
    /** 'menu' tags are reserved for menu swaps and hidden from marketers' tag pickers. */
    kind: text('kind', { enum: ['user', 'menu'] })
      .notNull()
      .default('user'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('tags_brand_name_uq').on(t.brandId, t.name)],
);

/** Custom menus: the default one, and swap menus shown through a reserved tag. */
export const menus = pgTable(
  'menus',
  {
    id: id(),
    brandId: brandRef(),
    name: text('name').notNull(),
    isDefault: boolean('is_default').notNull().default(false),
    /** WeChat's `button` array (≤ 3 × 5). */
    buttons: jsonb('buttons').$type<unknown[]>().notNull(),
    /** The reserved tag a conditional menu matches (null for the default menu). */
    tagName: text('tag_name'),
    wechatMenuId: text('wechat_menu_id'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('menus_brand_name_uq').on(t.brandId, t.name)],
);

/** Template-message templates registered on the account (template push). */
export const messageTemplates = pgTable(
  'message_templates',
  {
    id: id(),
    brandId: brandRef(),
    name: text('name').notNull(),
    wechatTemplateId: text('wechat_template_id').notNull(),
    /** The keys of the template's data fields, e.g. ["thing1", "time2"]. */
    fields: jsonb('fields').$type<string[]>().notNull().default([]),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('message_templates_brand_name_uq').on(t.brandId, t.name)],
);

/** Channel QR codes: a parametric code per channel (cup sleeve, store poster, …). */
export const qrChannels = pgTable(
  'qr_channels',
  {
    id: id(),
    brandId: brandRef(),
    name: text('name').notNull(),
    /** scene_str (1–64 chars); follows arrive with EventKey=qrscene_<scene>. */
    scene: text('scene').notNull(),
    kind: text('kind', { enum: ['permanent', 'temporary'] }).notNull(),
    ticket: text('ticket').notNull(),
    url: text('url').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('qr_channels_brand_scene_uq').on(t.brandId, t.scene)],
);

/** Progress of a date sweep (birthday, repurchase due) or a broadcast: one row per entry and day. */
export const sweeps = pgTable(
  'sweeps',
  {
    id: id(),
    brandId: brandRef(),
    flowVersionId: uuid('flow_version_id')
      .notNull()
      .references(() => flowVersions.id, { onDelete: 'cascade' }),
    nodeId: text('node_id').notNull(),
    /** The local date swept (YYYY-MM-DD in the flow's time zone). */
    localDate: text('local_date').notNull(),
    status: text('status', { enum: ['running', 'done'] }).notNull().default('running'),
    /** Followers matched so far, and where the next page starts. */
    matched: integer('matched').notNull().default(0),
    cursor: uuid('cursor'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('sweeps_entry_day_uq').on(t.flowVersionId, t.nodeId, t.localDate)],
);
