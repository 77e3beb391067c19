/**
 * The events we store (`events` rows: type, name, payload), as one zod union — the contract
 * between the writers (the WeChat callback, services/wechat/inbound.ts; the events API,
 * services/events-api; the activities that record a profile change or a tag) and the readers
 * (the router, workflows/dispatch/router.ts, which hands flows a FlowEvent; the follower
 * timeline's words, engine/outcomes.ts). A new event type does not compile until
 * `flowEventOf` maps it. Payloads keep fields they do not name (`passthrough`): rules see the
 * whole payload as `event.payload`, and rows written before a field existed still parse.
 */
import { z } from 'zod';
import type { FlowEvent } from './schema/event-matcher';

const payload = <T extends z.ZodRawShape>(shape: T) => z.object(shape).passthrough();
const text = z.string();
const maybe = z.string().nullable().optional();

export const StoredEventBody = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('follow'),
    name: z.null().optional(),
    /** `firstTime`: the first follow ever (set by the callback from the follower row). */
    payload: payload({ scene: maybe, ticket: maybe, firstTime: z.boolean().optional() }),
  }),
  z.object({ type: z.literal('unfollow'), name: z.null().optional(), payload: payload({}) }),
  z.object({
    type: z.literal('qr_scan'),
    name: z.null().optional(),
    payload: payload({ scene: text, ticket: maybe }),
  }),
  z.object({
    type: z.literal('keyword'),
    name: z.null().optional(),
    payload: payload({ text, msgId: maybe }),
  }),
  z.object({
    type: z.literal('menu_click'),
    name: z.null().optional(),
    payload: payload({ key: text }),
  }),
  z.object({
    type: z.literal('menu_view'),
    name: z.null().optional(),
    payload: payload({ url: text }),
  }),
  z.object({
    type: z.literal('location'),
    name: z.null().optional(),
    payload: payload({
      lat: z.number(),
      lng: z.number(),
      precision: z.number().nullable().optional(),
    }),
  }),
  z.object({
    type: z.literal('purchase'),
    name: z.null().optional(),
    payload: payload({
      orderId: text,
      amount: z.number(),
      currency: text.optional(),
      items: z.array(payload({ category: text.optional() })).optional(),
    }),
  }),
  /** From the events API (the brand's CRM) or a flow's profile step (`source: 'flow'`). */
  z.object({ type: z.literal('profile'), name: z.null().optional(), payload: payload({}) }),
  z.object({
    type: z.literal('tag_added'),
    name: z.null().optional(),
    payload: payload({ tag: text }),
  }),
  /** The events API's custom events (`properties`), and `coupon_redeemed`. */
  z.object({
    type: z.literal('custom'),
    name: text,
    payload: payload({ properties: z.record(z.string(), z.unknown()).optional() }),
  }),
  /** A flow was archived / resumed: the router signals its journeys (services/flows/lifecycle.ts). */
  z.object({
    type: z.literal('flow_archived'),
    name: z.null().optional(),
    payload: payload({ flowId: text }),
  }),
  z.object({
    type: z.literal('flow_resumed'),
    name: z.null().optional(),
    payload: payload({ flowId: text }),
  }),
  /** Any other WeChat message or event, kept for the record; flows do not react to it. */
  z.object({ type: z.literal('wechat'), name: text, payload: payload({ msgType: text }) }),
]);
export type StoredEventBody = z.infer<typeof StoredEventBody>;
/** What a writer hands to the outbox (services/events/outbox.ts). */
export type StoredEventInput = z.input<typeof StoredEventBody>;
export type StoredEventType = StoredEventBody['type'];

function unmapped(event: never): never {
  throw new Error(`no flow event for ${(event as { type: string }).type}`);
}

/**
 * A stored event as flows see it (the router's and the simulator's FlowEvent), or null when
 * no flow reacts to its type.
 */
export function flowEventOf(e: StoredEventBody): FlowEvent | null {
  const p = e.payload;
  switch (e.type) {
    case 'follow':
      return {
        type: 'follow',
        scene: typeof e.payload.scene === 'string' ? e.payload.scene : null,
        firstTime: e.payload.firstTime === true,
        payload: p,
      };
    case 'unfollow':
      return { type: 'unfollow', payload: p };
    case 'qr_scan':
      return { type: 'qr_scan', scene: e.payload.scene, newFollower: false, payload: p };
    case 'keyword':
      return { type: 'keyword', text: e.payload.text, payload: p };
    case 'menu_click':
      return { type: 'menu_click', key: e.payload.key, payload: p };
    case 'location':
      return {
        type: 'location',
        location: { lat: e.payload.lat, lng: e.payload.lng },
        payload: p,
      };
    case 'purchase':
      return {
        type: 'purchase',
        amount: e.payload.amount,
        category: (e.payload.items ?? []).find((i) => i.category)?.category,
        payload: p,
      };
    case 'tag_added':
      return { type: 'tag_added', tag: e.payload.tag, payload: p };
    case 'custom':
      return { type: 'custom', name: e.name, payload: e.payload.properties ?? {} };
    case 'menu_view':
    case 'profile':
    case 'wechat':
    case 'flow_archived':
    case 'flow_resumed':
      return null;
    default:
      return unmapped(e);
  }
}
