import { durationMs } from '../schema/duration';
import { LocationFilter } from '../schema/event-matcher';
import { defineNode, NEXT } from './spec';

/** Enters when a reported location falls inside the circle (e.g. near a store). */
export const triggerLocation = defineNode({
  kind: 'trigger.location',
  category: 'trigger',
  title: { 'zh-CN': '地理位置', en: 'Location' },
  config: LocationFilter,
  ports: () => NEXT,
  plan: (c) => ({ ...c, cooldownMs: c.cooldown ? durationMs(c.cooldown) : null }),
  opensWindow: true,
  entry: (nodeId, c) => ({
    kind: 'event',
    nodeId,
    eventTypes: ['location'],
    matcher: { type: 'location', center: c.center, radiusM: c.radiusM },
    ...(c.cooldown ? { cooldownMs: durationMs(c.cooldown) } : {}),
  }),
});
