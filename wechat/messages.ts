/**
 * Inbound callback messages (WECHAT.md table), validated from the raw XML fields into a
 * camelCase discriminated union on `kind`. Ids stay strings: MsgId is 64-bit, EventKey may
 * carry leading zeros.
 */
import { z } from 'zod';
import type { XmlFields } from './xml';

const digits = z.string().regex(/^\d+$/);
const unixSeconds = digits.transform(Number);
const decimal = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/)
  .transform(Number);
const optionalText = z.string().optional();

const Base = z.object({
  ToUserName: z.string().min(1),
  FromUserName: z.string().min(1),
  CreateTime: unixSeconds,
  MsgType: z.string().min(1),
});

type BaseRaw = z.output<typeof Base>;
function common(r: BaseRaw) {
  return { toUserName: r.ToUserName, fromUserName: r.FromUserName, createTime: r.CreateTime };
}

const QR_PREFIX = 'qrscene_';

const Subscribe = Base.extend({
  kind: z.literal('subscribe'),
  EventKey: optionalText,
  Ticket: optionalText,
}).transform((r) => ({
  kind: r.kind,
  ...common(r),
  /** The QR scene when the follow came through a parametric code (`qrscene_` stripped). */
  scene: r.EventKey?.startsWith(QR_PREFIX) ? r.EventKey.slice(QR_PREFIX.length) : undefined,
  ticket: r.Ticket || undefined,
}));

const Scan = Base.extend({
  kind: z.literal('scan'),
  EventKey: z.string(),
  Ticket: optionalText,
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
  Latitude: decimal,
  Longitude: decimal,
  Precision: decimal,
}).transform((r) => ({
  kind: r.kind,
  ...common(r),
  latitude: r.Latitude,
  longitude: r.Longitude,
  precision: r.Precision,
}));

const Click = Base.extend({ kind: z.literal('click'), EventKey: z.string() }).transform((r) => ({
  kind: r.kind,
  ...common(r),
  key: r.EventKey,
}));

const View = Base.extend({
  kind: z.literal('view'),
  EventKey: z.string(),
  MenuId: optionalText,
}).transform((r) => ({
  kind: r.kind,
  ...common(r),
  url: r.EventKey,
  menuId: r.MenuId || undefined,
}));

const Text = Base.extend({
  kind: z.literal('text'),
  Content: z.string(),
  MsgId: digits,
}).transform((r) => ({ kind: r.kind, ...common(r), content: r.Content, msgId: r.MsgId }));

/** Anything else (image, voice, other events): kept, typed loosely, never dropped. */
const Other = Base.extend({
  kind: z.literal('other'),
  Event: optionalText,
  MsgId: digits.optional(),
}).transform((r) => ({
  kind: r.kind,
  ...common(r),
  msgType: r.MsgType,
  event: r.Event,
  msgId: r.MsgId,
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

/**
 * Retry-stable identity of a push (WECHAT.md: dedupe messages by MsgId, events by
 * FromUserName + CreateTime + Event). Messages: the MsgId itself; events:
 * `<FromUserName>:<CreateTime>:<Event>`; anything else: `<FromUserName>:<CreateTime>:<MsgType>`.
 */
export function dedupeKey(msg: InboundMessage): string {
  if (msg.kind === 'text') return msg.msgId;
  if (msg.kind === 'other' && msg.msgId) return msg.msgId;
  const discriminator = eventName(msg) ?? (msg.kind === 'other' ? msg.msgType : msg.kind);
  return `${msg.fromUserName}:${msg.createTime}:${discriminator}`;
}
