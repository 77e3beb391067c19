import { durationMs } from '../schema/duration';
import { LocationFilter } from '../schema/event-matcher';
import { defineNode, NEXT } from './spec';
import { LOCATION_FIELDS } from '../schema/labels';

/** Enters when a reported location falls inside the circle (e.g. near a store). */
export const triggerLocation = defineNode({
  kind: 'trigger.location',
  category: 'trigger',
  title: { 'zh-CN': '地理位置', en: 'Location' },
  config: LocationFilter,
  fields: {
    ...LOCATION_FIELDS,
    cooldown: {
      en: 'Cooldown between entries',
      'zh-CN': '两次进入的最短间隔',
      optional: true,
      type: 'duration',
    },
  },
  ports: () => NEXT,
  plan: (c) => ({ ...c, cooldownMs: c.cooldown ? durationMs(c.cooldown) : null }),
  // A reported location (the LOCATION event) is not a message from the fan: it opens nothing.
  opensQuota: null,
  entry: (nodeId, c) => ({
    kind: 'event',
    nodeId,
    eventTypes: ['location'],
    matcher: { type: 'location', center: c.center, radiusM: c.radiusM },
    ...(c.cooldown ? { cooldownMs: durationMs(c.cooldown) } : {}),
  }),
});
