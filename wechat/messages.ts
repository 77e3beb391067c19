/**
 * Inbound callback messages (docs/wechat.md#messages-and-events), validated from the raw XML fields into a
 * camelCase discriminated union on `kind`: one zod schema per message type, every field it
 * reads held to WeChat's shape and length (wechat/README.md, "Callback fields"), so whatever
 * passes can be stored — as text, in jsonb, in a unique index, as a timestamptz — and a push
 * that does not pass is refused with the field's name and what it should look like. Fields a
 * type does not read are ignored: WeChat adds fields over time. Ids stay strings: MsgId is
 * 64-bit, EventKey may carry leading zeros.
 */
import { z } from 'zod';
import type { XmlFields } from './xml';

/** Bounds of the fields Fanfare reads (wechat/README.md, "Callback fields"). */
export const FIELD_LIMITS = {
  /** openids are 28 characters today; original ids `gh_` + 12. */
  idChars: 64,
  /** MsgId is an unsigned 64-bit integer. */
  msgIdDigits: 20,
  /** WeChat opened to developers in 2012; CreateTime is the push's unix time in seconds. */
  createTimeMin: Date.UTC(2012, 0, 1) / 1000,
  createTimeMax: Date.UTC(2100, 0, 1) / 1000,
  /** A QR code's scene_str is 1–64 characters. */
  sceneChars: 64,
  ticketChars: 512,
  /** A menu button's key is at most 128 bytes, a link at most 1024 bytes. */
  clickKeyBytes: 128,
  viewUrlBytes: 1024,
  /** Not a documented WeChat limit: far above a fan's message, far below the 64 KiB body cap. */
  contentChars: 20_000,
  nameChars: 64,
  decimalChars: 32,
} as const;

/** A text field: missing and nested (or repeated) elements get a sentence, not zod's default. */
const text = () =>
  z.string({
    error: (issue) =>
      issue.input === undefined
        ? 'is missing'
        : 'must be a single text value, not nested or repeated elements',
  });

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

const ID = /^[A-Za-z0-9_-]+$/;
const id = (what: string) =>
  text()
    .max(FIELD_LIMITS.idChars, `${what} is at most ${FIELD_LIMITS.idChars} characters`)
    .regex(ID, `${what} is made of letters, digits, "_" and "-"`);

const digits = (what: string, max: number) =>
  text().regex(new RegExp(`^\\d{1,${max}}$`), `${what} is 1–${max} digits`);

const unixSeconds = digits('a unix time in seconds', 10)
  .transform(Number)
  .refine(
    (t) => t >= FIELD_LIMITS.createTimeMin && t < FIELD_LIMITS.createTimeMax,
    'is a unix time in seconds between 2012 and 2100',
  );

/** MsgType and Event names: letters, digits and "_" (text, event, subscribe, SCAN, …). */
const name = (what: string) =>
  text()
    .max(FIELD_LIMITS.nameChars, `${what} is at most ${FIELD_LIMITS.nameChars} characters`)
    .regex(/^[A-Za-z0-9_]+$/, `${what} is made of letters, digits and "_"`);

const decimal = (min: number, max: number) =>
  text()
    .max(FIELD_LIMITS.decimalChars, `is at most ${FIELD_LIMITS.decimalChars} characters`)
    .regex(/^-?\d+(\.\d+)?$/, 'is a decimal number')
    .transform(Number)
    .refine((n) => n >= min && n <= max, `is a number from ${min} to ${max}`);

const scene = text().max(
  FIELD_LIMITS.sceneChars,
  `a QR scene is at most ${FIELD_LIMITS.sceneChars} characters`,
);
const ticket = text()
  .max(FIELD_LIMITS.ticketChars, `is at most ${FIELD_LIMITS.ticketChars} characters`)
  .optional();

const Base = z.object({
  ToUserName: id("the account's original id (gh_…)"),
  FromUserName: id('an openid'),
  CreateTime: unixSeconds,
  MsgType: name('a message type'),
});
type BaseRaw = z.output<typeof Base>;
function common(r: BaseRaw) {
  return { toUserName: r.ToUserName, fromUserName: r.FromUserName, createTime: r.CreateTime };
}

const QR_PREFIX = 'qrscene_';

const Subscribe = Base.extend({
  kind: z.literal('subscribe'),
  /** `qrscene_<scene>` for a follow through a parametric QR code, else empty. */
  EventKey: text()
    .refine(
      (key) =>
        !key.startsWith(QR_PREFIX) || key.length - QR_PREFIX.length <= FIELD_LIMITS.sceneChars,
      `a QR scene is at most ${FIELD_LIMITS.sceneChars} characters`,
    )
    .refine(
      (key) => key.startsWith(QR_PREFIX) || key.length <= FIELD_LIMITS.sceneChars,
      `is "qrscene_" and a scene, or at most ${FIELD_LIMITS.sceneChars} characters`,
    )
    .optional(),
  Ticket: ticket,
}).transform((r) => ({
  kind: r.kind,
  ...common(r),
  /** The QR scene when the follow came through a parametric code (`qrscene_` stripped). */
  scene: r.EventKey?.startsWith(QR_PREFIX) ? r.EventKey.slice(QR_PREFIX.length) : undefined,
  ticket: r.Ticket || undefined,
}));

const Scan = Base.extend({
  kind: z.literal('scan'),
  EventKey: scene,
  Ticket: ticket,
}).transform((r) => ({
  kind: r.kind,
  ...common(r),
  scene: r.EventKey,
  ticket: r.Ticket || undefined,
}));

const Unsubscribe = Base.extend({ kind: z.literal('unsubscribe') }).transform((r) => ({
  kind: r.kind,
  ...common(r),
}));

const Location = Base.extend({
  kind: z.literal('location'),
  Latitude: decimal(-90, 90),
  Longitude: decimal(-180, 180),
  Precision: decimal(0, 1e9),
}).transform((r) => ({
  kind: r.kind,
  ...common(r),
  latitude: r.Latitude,
  longitude: r.Longitude,
  precision: r.Precision,
}));

const Click = Base.extend({
  kind: z.literal('click'),
  EventKey: text().refine(
    (key) => bytes(key) <= FIELD_LIMITS.clickKeyBytes,
    `a menu button's key is at most ${FIELD_LIMITS.clickKeyBytes} bytes`,
  ),
}).transform((r) => ({
  kind: r.kind,
  ...common(r),
  key: r.EventKey,
}));

const View = Base.extend({
  kind: z.literal('view'),
  EventKey: text().refine(
    (url) => bytes(url) <= FIELD_LIMITS.viewUrlBytes,
    `a menu link is at most ${FIELD_LIMITS.viewUrlBytes} bytes`,
  ),
  MenuId: id('a menu id').optional(),
}).transform((r) => ({
  kind: r.kind,
  ...common(r),
  url: r.EventKey,
  menuId: r.MenuId || undefined,
}));

const Text = Base.extend({
  kind: z.literal('text'),
  Content: text().max(
    FIELD_LIMITS.contentChars,
    `a text message is at most ${FIELD_LIMITS.contentChars} characters`,
  ),
  MsgId: digits('a MsgId', FIELD_LIMITS.msgIdDigits),
}).transform((r) => ({ kind: r.kind, ...common(r), content: r.Content, msgId: r.MsgId }));

/** A count in a mass send's job report: up to 9 digits. */
const count = text()
  .regex(/^\d{1,9}$/, 'is a count (digits)')
  .transform(Number);

/** Anything else (image, voice, other events): kept, typed loosely, never dropped. */
const Other = Base.extend({
  kind: z.literal('other'),
  Event: name('an event name').optional(),
  /** Other events' keys (a `scancode_*` button's key, a mini-program path): at most a link's length. */
  EventKey: text()
    .refine(
      (key) => bytes(key) <= FIELD_LIMITS.viewUrlBytes,
      `an event key is at most ${FIELD_LIMITS.viewUrlBytes} bytes`,
    )
    .optional(),
  MsgId: digits('a MsgId', FIELD_LIMITS.msgIdDigits).optional(),
  /** MASSSENDJOBFINISH: the mass send's msg_id (`MsgID`), its status and counts. */
  MsgID: digits('a mass send MsgID', FIELD_LIMITS.msgIdDigits).optional(),
  Status: text().max(200, 'a mass send status is at most 200 characters').optional(),
  TotalCount: count.optional(),
  FilterCount: count.optional(),
  SentCount: count.optional(),
  ErrorCount: count.optional(),
}).transform((r) => ({
  kind: r.kind,
  ...common(r),
  msgType: r.MsgType,
  event: r.Event,
  eventKey: r.EventKey || undefined,
  msgId: r.MsgId,
  ...(r.Event === 'MASSSENDJOBFINISH' && r.MsgID
    ? {
        massJob: {
          msgId: r.MsgID,
          status: r.Status ?? '',
          totalCount: r.TotalCount ?? 0,
          filterCount: r.FilterCount ?? 0,
          sentCount: r.SentCount ?? 0,
          errorCount: r.ErrorCount ?? 0,
        },
      }
    : {}),
}));

const KnownMessage = z.discriminatedUnion('kind', [
  Subscribe,
  Scan,
  Unsubscribe,
  Location,
  Click,
  View,
  Text,
  Other,
]);

export type InboundMessage = z.output<typeof KnownMessage>;
export type InboundKind = InboundMessage['kind'];

const EVENT_KINDS: Record<string, InboundKind> = {
  subscribe: 'subscribe',
  scan: 'scan',
  unsubscribe: 'unsubscribe',
  location: 'location',
  click: 'click',
  view: 'view',
};

/** Which member of the union a raw push belongs to. */
export function classify(fields: XmlFields): InboundKind {
  const msgType = typeof fields.MsgType === 'string' ? fields.MsgType : '';
  if (msgType === 'event') {
    const event = typeof fields.Event === 'string' ? fields.Event.toLowerCase() : '';
    return EVENT_KINDS[event] ?? 'other';
  }
  return msgType === 'text' ? 'text' : 'other';
}

/** Raw `<xml>` fields → message. A known kind with bad fields is an error, not "other". */
export const InboundMessage = z.preprocess(
  (raw) =>
    raw && typeof raw === 'object' && !Array.isArray(raw)
      ? { ...(raw as object), kind: classify(raw as XmlFields) }
      : raw,
  KnownMessage,
);

export type InboundParseResult =
  { ok: true; message: InboundMessage } | { ok: false; issues: string[] };

export function parseInboundMessage(fields: XmlFields): InboundParseResult {
  const result = InboundMessage.safeParse(fields);
  if (result.success) return { ok: true, message: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
  };
}

/** The WeChat event name (as sent) for event kinds; undefined for messages. */
export function eventName(msg: InboundMessage): string | undefined {
  switch (msg.kind) {
    case 'subscribe':
      return 'subscribe';
    case 'scan':
      return 'SCAN';
    case 'unsubscribe':
      return 'unsubscribe';
    case 'location':
      return 'LOCATION';
    case 'click':
      return 'CLICK';
    case 'view':
      return 'VIEW';
    case 'other':
      return msg.event;
    case 'text':
      return undefined;
  }
}

/** The push's `EventKey` as sent (a menu key, a link, a QR scene), when it has one. */
function eventKeyOf(msg: InboundMessage): string | undefined {
  switch (msg.kind) {
    case 'click':
      return msg.key;
    case 'view':
      return msg.url;
    case 'scan':
      return msg.scene;
    case 'subscribe':
      return msg.scene === undefined ? undefined : `${QR_PREFIX}${msg.scene}`;
    case 'other':
      return msg.eventKey;
    default:
      return undefined;
  }
}

/**
 * Retry-stable identity of a push (docs/wechat.md#retries-and-dedupe: dedupe messages by MsgId, events by
 * FromUserName + CreateTime + Event). Messages: the MsgId itself; events:
 * `<FromUserName>:<CreateTime>:<Event>`, then `:<EventKey>` when the event has one — two
 * menu clicks of one fan in the same second are two events; anything else:
 * `<FromUserName>:<CreateTime>:<MsgType>`.
 */
export function dedupeKey(msg: InboundMessage): string {
  if (msg.kind === 'text') return msg.msgId;
  if (msg.kind === 'other' && msg.msgId) return msg.msgId;
  const discriminator = eventName(msg) ?? (msg.kind === 'other' ? msg.msgType : msg.kind);
  const key = eventKeyOf(msg);
  return `${msg.fromUserName}:${msg.createTime}:${discriminator}${key ? `:${key}` : ''}`;
}
