/**
 * The core tables. SQL names are snake_case, TypeScript keys camelCase.
 * Brand-owned rows carry brand_id so every query can be scoped to one tenant.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  date,
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
import type { TemplateKeyword } from '../engine/template-message';

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
  /** The owning organization; null only for brands made before accounts, until setup adopts them. */
  organizationId: uuid('organization_id').references(() => organizations.id, {
    onDelete: 'restrict',
  }),
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

/**
 * Accounts (docs/decisions/005-auth-and-roles.md). A person signs in as a user; an
 * organization (a company or an agency) owns brands; a membership gives a user a role in an
 * organization, or in one of its brands. Roles and their order live in services/members/roles.ts.
 */
export const organizations = pgTable('organizations', {
  id: id(),
  name: text('name').notNull(),
  slug: text('slug').notNull().unique(),
  createdAt: createdAt(),
});

export const users = pgTable(
  'users',
  {
    id: id(),
    /** Stored trimmed and lower-cased; the unique index makes the rule hold in SQL too. */
    email: text('email').notNull(),
    name: text('name').notNull().default(''),
    /** argon2id, PHC string (parameters and salt inside). */
    passwordHash: text('password_hash').notNull(),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('users_email_lower_uq').on(sql`lower(${t.email})`)],
);

/** Signed-in browsers. The cookie carries a random token; `id` is its SHA-256 (hex). */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

const role = () => text('role', { enum: ['owner', 'admin', 'editor', 'viewer'] }).notNull();

/** A role in an organization (brand_id null) or in one of its brands. */
export const memberships = pgTable(
  'memberships',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    brandId: uuid('brand_id').references(() => brands.id, { onDelete: 'cascade' }),
    role: role(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('memberships_org_uq')
      .on(t.userId, t.organizationId)
      .where(sql`${t.brandId} is null`),
    uniqueIndex('memberships_brand_uq')
      .on(t.userId, t.brandId)
      .where(sql`${t.brandId} is not null`),
    index('memberships_org_idx').on(t.organizationId),
  ],
);

/** An invitation link (shown once, stored as the SHA-256 of its token). */
export const invitations = pgTable(
  'invitations',
  {
    id: id(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    brandId: uuid('brand_id').references(() => brands.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: role(),
    tokenHash: text('token_hash').notNull().unique(),
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    acceptedBy: uuid('accepted_by').references(() => users.id, { onDelete: 'set null' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('invitations_org_idx').on(t.organizationId, t.createdAt)],
);

/** Who did what: per brand (and organization), viewable by admins. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    organizationId: uuid('organization_id').references(() => organizations.id, {
      onDelete: 'set null',
    }),
    brandId: uuid('brand_id').references(() => brands.id, { onDelete: 'set null' }),
    /** Null for the operator's CLI and the system; `actor_label` says which. */
    actorUserId: uuid('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    actorLabel: text('actor_label').notNull(),
    /** e.g. flow.published, member.invited, brand.credentials_changed */
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('audit_log_brand_idx').on(t.brandId, t.at),
    index('audit_log_org_idx').on(t.organizationId, t.at),
  ],
);

/** Sign-in attempts, for throttling per account and per address. */
export const loginAttempts = pgTable(
  'login_attempts',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    /** The normalised email typed (whether or not such a user exists). */
    email: text('email'),
    ip: text('ip'),
    succeeded: boolean('succeeded').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('login_attempts_email_idx').on(t.email, t.at),
    index('login_attempts_ip_idx').on(t.ip, t.at),
  ],
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
    /** Sized for the events API's amounts: see docs/decisions/004-input-bounds.md. */
    totalSpent: numeric('total_spent', { precision: 20, scale: 2 }).notNull().default('0'),
    orderCount: integer('order_count').notNull().default(0),
    lastPurchaseAt: timestamp('last_purchase_at', { withTimezone: true }),
    lastInteractionAt: timestamp('last_interaction_at', { withTimezone: true }),
    /**
     * The open customer-service quota (engine/quota.ts, docs/wechat.md#pushing-messages): the
     * kind of the fan's last action that opened one, the messages left and until when. Set by
     * the callback with the event, spent by the push activity with a conditional update.
     */
    quotaKind: text('quota_kind', { enum: ['message', 'event'] }),
    quotaLeft: integer('quota_left').notNull().default(0),
    quotaExpiresAt: timestamp('quota_expires_at', { withTimezone: true }),
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
    /** WeChat: MsgId, or FromUserName + CreateTime + Event (+ EventKey); API: the caller's key. */
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

/**
 * Nonces of accepted WeChat pushes, per brand, for as long as their signed timestamp is fresh:
 * the same signature, timestamp and nonce with a different body is a replay and is refused,
 * while WeChat's retry of the same push (same nonce, same body) goes on to be deduplicated.
 * Rows older than the freshness window are pruned.
 */
export const callbackNonces = pgTable(
  'callback_nonces',
  {
    brandId: brandRef(),
    nonce: text('nonce').notNull(),
    /** The push's signed `timestamp` query parameter (unix seconds). */
    queryTimestamp: bigint('query_timestamp', { mode: 'number' }).notNull(),
    /** SHA-256 (hex) of the message XML the signature was used for. */
    fingerprint: text('fingerprint').notNull(),
    seenAt: timestamp('seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.brandId, t.nonce, t.queryTimestamp] }),
    index('callback_nonces_timestamp_idx').on(t.queryTimestamp),
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
    /**
     * The template version this flow was made from (services/flow-templates), with the values
     * the brand bound to its parameters; null for a flow not made from a template.
     */
    templateVersionId: uuid('template_version_id').references(() => flowTemplateVersions.id, {
      onDelete: 'set null',
    }),
    templateBindings: jsonb('template_bindings').$type<Record<string, string>>(),
    /**
     * The editor's Simulate panel's test followers (engine/simulate/scenario.ts, at most 10):
     * null until the marketer saves some (docs/product.md#simulating-a-flow).
     */
    simulationScenarios: jsonb('simulation_scenarios').$type<Record<string, unknown>[]>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('flows_brand_idx').on(t.brandId, t.updatedAt),
    index('flows_template_version_idx').on(t.templateVersionId),
  ],
);

/**
 * Flow templates shared by the brands of an organization (issue 13): a name, and immutable
 * versions, each a `fanfare.flow/v1` document whose brand resources are typed parameters.
 */
export const flowTemplates = pgTable(
  'flow_templates',
  {
    id: id(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('flow_templates_org_name_uq').on(t.organizationId, t.name)],
);

export const flowTemplateVersions = pgTable(
  'flow_template_versions',
  {
    id: id(),
    templateId: uuid('template_id')
      .notNull()
      .references(() => flowTemplates.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    /** The template document (never changed once stored). */
    document: jsonb('document').$type<Record<string, unknown>>().notNull(),
    description: text('description').notNull().default(''),
    contentHash: text('content_hash').notNull(),
    /** Null: the operator's CLI. */
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdByLabel: text('created_by_label').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('flow_template_versions_uq').on(t.templateId, t.version)],
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
    publishedBy: uuid('published_by').references(() => users.id, { onDelete: 'set null' }),
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
    /** Entry + the flow's goal `within`: a goal event until then converts, even after the end. */
    goalUntil: timestamp('goal_until', { withTimezone: true }),
    /** When the goal was reached (whatever `status` says about how the journey ended). */
    convertedAt: timestamp('converted_at', { withTimezone: true }),
    conversionEventId: bigint('conversion_event_id', { mode: 'bigint' }),
  },
  (t) => [
    /** once: entry key 'once'; after_exit / always: the entering event's id. */
    uniqueIndex('journeys_entry_uq').on(t.flowId, t.followerId, t.entryKey),
    index('journeys_flow_status_idx').on(t.flowId, t.status),
    index('journeys_follower_idx').on(t.followerId, t.enteredAt),
    /** The router's question for every event: which ended journeys may it still convert? */
    index('journeys_goal_open_idx')
      .on(t.followerId, t.goalUntil)
      .where(sql`${t.convertedAt} is null and ${t.goalUntil} is not null`),
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
    /**
     * A broadcast push that goes out by mass send (channel 'mass'): its batch, `<flow>:<node>:
     * <brand-local day>`; the row waits 'deferred' until the batch is sent (massSendId).
     */
    massBatch: text('mass_batch'),
    massSendId: uuid('mass_send_id').references(() => massSends.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('messages_follower_idx').on(t.followerId, t.createdAt),
    index('messages_mass_deferred_idx')
      .on(t.brandId, t.massBatch)
      .where(sql`${t.outcome} = 'deferred'`),
    index('messages_mass_send_idx').on(t.massSendId),
  ],
);

/**
 * One `message/mass/send` call of a broadcast's batch (≤ 10,000 openids): its deterministic
 * clientmsgid (WeChat drops a repeat within 24 h), WeChat's msg_id, and the counts of its
 * MASSSENDJOBFINISH callback.
 */
export const massSends = pgTable(
  'mass_sends',
  {
    id: id(),
    brandId: brandRef(),
    batch: text('batch').notNull(),
    chunk: integer('chunk').notNull(),
    clientMsgId: text('client_msg_id').notNull(),
    msgType: text('msg_type').notNull(),
    content: jsonb('content').$type<Record<string, unknown>>().notNull(),
    recipients: integer('recipients').notNull(),
    /** sending: recorded, not yet accepted; sent: accepted; finished: WeChat's job report came. */
    status: text('status', { enum: ['sending', 'sent', 'failed', 'finished'] })
      .notNull()
      .default('sending'),
    errcode: integer('errcode'),
    reason: text('reason'),
    msgId: text('msg_id'),
    msgDataId: text('msg_data_id'),
    /** MASSSENDJOBFINISH: `send success`, `send fail`, `err(…)`, and its counts. */
    jobStatus: text('job_status'),
    totalCount: integer('total_count'),
    filterCount: integer('filter_count'),
    sentCount: integer('sent_count'),
    errorCount: integer('error_count'),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('mass_sends_batch_chunk_uq').on(t.brandId, t.batch, t.chunk),
    uniqueIndex('mass_sends_client_msg_id_uq').on(t.brandId, t.clientMsgId),
    index('mass_sends_msg_id_idx').on(t.brandId, t.msgId),
  ],
);

export const couponPools = pgTable(
  'coupon_pools',
  {
    id: id(),
    brandId: brandRef(),
    name: text('name').notNull(),
    description: text('description'),
    /** Codes expire at this instant (the end of a day in the brand's zone)… */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    /** …or at the end of the day this many days after each is issued; both null: never. */
    expiresAfterDays: integer('expires_after_days'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('coupon_pools_brand_name_uq').on(t.brandId, t.name),
    check('coupon_pools_one_expiry', sql`${t.expiresAt} is null or ${t.expiresAfterDays} is null`),
    check('coupon_pools_expiry_days', sql`${t.expiresAfterDays} > 0`),
  ],
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
    /** Fixed when the code is issued, from its pool's expiry then. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    redeemedAt: timestamp('redeemed_at', { withTimezone: true }),
    /** The events API's `coupon_redeemed`: the order and the store it was redeemed in. */
    redeemedOrderId: text('redeemed_order_id'),
    redeemedStore: text('redeemed_store'),
  },
  (t) => [
    uniqueIndex('coupon_codes_pool_code_uq').on(t.poolId, t.code),
    index('coupon_codes_available_idx')
      .on(t.poolId, t.id)
      .where(sql`${t.status} = 'available'`),
    /** The follower timeline's "which of these journeys' coupons were redeemed" (bench/analytics.ts). */
    index('coupon_codes_journey_idx').on(t.journeyId),
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

/** One access token per brand, refreshed under an advisory lock (docs/wechat.md#access-token). */
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

/**
 * Template-message templates of the account (template push), as synced from WeChat's
 * `template/get_all_private_template` (services/templates): a sync replaces the brand's list.
 */
export const messageTemplates = pgTable(
  'message_templates',
  {
    id: id(),
    brandId: brandRef(),
    /** Our name for it (a flow may name a template by it or by its WeChat id): its title. */
    name: text('name').notNull(),
    wechatTemplateId: text('wechat_template_id').notNull(),
    /** The keys of the template's data fields, e.g. ["thing1", "time2"]. */
    fields: jsonb('fields').$type<string[]>().notNull().default([]),
    /** WeChat's title, content (`到期时间：{{time2.DATA}}`…), example and industries. */
    title: text('title').notNull().default(''),
    content: text('content').notNull().default(''),
    example: text('example').notNull().default(''),
    primaryIndustry: text('primary_industry').notNull().default(''),
    deputyIndustry: text('deputy_industry').notNull().default(''),
    /** The keywords of the content, in order, with their kind and label. */
    keywords: jsonb('keywords').$type<TemplateKeyword[]>().notNull().default([]),
    /** When a sync last read it from WeChat (null: registered by hand). */
    syncedAt: timestamp('synced_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('message_templates_brand_name_uq').on(t.brandId, t.name),
    uniqueIndex('message_templates_brand_wechat_id_uq').on(t.brandId, t.wechatTemplateId),
  ],
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

/**
 * Why a sweep of one flow's entry failed: its rules cannot be run (a pattern outside the shared
 * subset, a document that skipped validation), the database refused or timed out its query,
 * the database stayed unavailable through the retries (retried by the next run), or a bug.
 */
export const SWEEP_FAILURES = [
  'invalid_rules',
  'query_failed',
  'timed_out',
  'unavailable',
  'internal',
] as const;
export type SweepFailure = (typeof SWEEP_FAILURES)[number];
/** The marketer's sentence (when the engine wrote one) and the database's code. */
export interface SweepFailureDetail {
  text?: { en: string; 'zh-CN': string };
  sqlstate?: string;
}

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
    /** `failed`: the entry cannot run as published (its rules, its query); not retried that day. */
    status: text('status', { enum: ['running', 'done', 'failed'] })
      .notNull()
      .default('running'),
    /** Followers matched so far, and where the next page starts. */
    matched: integer('matched').notNull().default(0),
    cursor: uuid('cursor'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** Why the last attempt failed, shown to the flow's marketer; cleared when a run finishes. */
    failure: text('failure', { enum: SWEEP_FAILURES }),
    failureDetail: jsonb('failure_detail').$type<SweepFailureDetail>(),
    failedAt: timestamp('failed_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('sweeps_entry_day_uq').on(t.flowVersionId, t.nodeId, t.localDate)],
);

/**
 * Importing a brand's existing WeChat followers (workflows/workflows/followers-import.ts): one
 * row per brand, the latest import. Counts and `nextOpenid` move page by page, so the UI and the
 * CLI show progress and an import started after a failed one resumes where it stopped.
 */
export const followerImports = pgTable('follower_imports', {
  brandId: uuid('brand_id')
    .primaryKey()
    .references(() => brands.id, { onDelete: 'cascade' }),
  workflowId: text('workflow_id').notNull(),
  runId: text('run_id').notNull(),
  status: text('status', { enum: ['running', 'done', 'failed'] })
    .notNull()
    .default('running'),
  /** Followers WeChat reported (user/get `total`), pages done, openids read, rows new / updated. */
  total: integer('total'),
  pages: integer('pages').notNull().default(0),
  fetched: integer('fetched').notNull().default(0),
  created: integer('created').notNull().default(0),
  updated: integer('updated').notNull().default(0),
  /** Where the next user/get page starts ('' = from the beginning). */
  nextOpenid: text('next_openid').notNull().default(''),
  /** Batchget chunks (of 100) of that page already imported: a retried page goes on from there. */
  chunks: integer('chunks').notNull().default(0),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  /** `CODE: sentence` of the failure that ended the last run. */
  error: text('error'),
});

/**
 * Results of a flow, kept as journeys move (services/analytics/counters.ts), never scanned from
 * journeys or steps: one counter per flow version, node ('' for the journey as a whole), day
 * (in the brand's time zone) and metric — `entered`, `waiting`, `completed`, `exited`,
 * `failed`, `port:<port>`, `msg:sent`, `msg:failed`, `skip:<reason>`; at the journey level
 * `entered`, `active`, `completed`, `exited`, `failed`, `converted`. Each is incremented in the
 * transaction that makes the change it counts, only when that change actually happened (a
 * retried activity adds nothing). `waiting` and `active` go up and down: their sum over all
 * days is how many wait now.
 */
export const flowStats = pgTable(
  'flow_stats',
  {
    flowId: uuid('flow_id')
      .notNull()
      .references(() => flows.id, { onDelete: 'cascade' }),
    flowVersionId: uuid('flow_version_id')
      .notNull()
      .references(() => flowVersions.id, { onDelete: 'cascade' }),
    nodeId: text('node_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    metric: text('metric').notNull(),
    n: bigint('n', { mode: 'number' }).notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.flowVersionId, t.nodeId, t.day, t.metric] }),
    index('flow_stats_flow_day_idx').on(t.flowId, t.day),
  ],
);

/**
 * Results credited to a QR channel, the fan's first touch (followers.qr_scene): `converted`
 * (a journey of the fan converted) and `coupon_redeemed`, per day in the brand's time zone.
 */
export const qrChannelStats = pgTable(
  'qr_channel_stats',
  {
    brandId: brandRef(),
    scene: text('scene').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    metric: text('metric').notNull(),
    n: bigint('n', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.brandId, t.scene, t.day, t.metric] })],
);

/**
 * A brand's test followers (issue 11, "test send"): fans marked in the UI who receive a flow's
 * messages through the real API, marked 【测试】, without entering journeys or analytics. At
 * most 20 per brand (services/test-sends).
 */
export const testFollowers = pgTable(
  'test_followers',
  {
    brandId: brandRef(),
    openid: text('openid').notNull(),
    label: text('label').notNull().default(''),
    /** Who marked the fan; null for the operator (CLI) or a deleted user. */
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.brandId, t.openid] })],
);

/**
 * Every test send, one row per message and test follower: what went out and what WeChat said.
 * Never in `messages`, `journeys`, `journey_steps` or the analytics counters.
 */
export const testSends = pgTable(
  'test_sends',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    brandId: brandRef(),
    flowId: uuid('flow_id').references(() => flows.id, { onDelete: 'set null' }),
    openid: text('openid').notNull(),
    nodeId: text('node_id'),
    channel: text('channel', { enum: ['customer_service', 'template'] }).notNull(),
    msgType: text('msg_type').notNull(),
    content: jsonb('content').$type<Record<string, unknown>>().notNull(),
    outcome: text('outcome', { enum: ['sent', 'failed', 'skipped'] }).notNull(),
    errcode: integer('errcode'),
    reason: text('reason'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('test_sends_brand_idx').on(t.brandId, t.createdAt)],
);
