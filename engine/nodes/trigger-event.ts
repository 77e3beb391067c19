import { CustomEventFilter } from '../schema/event-matcher';
import { defineNode, NEXT, ruleResources } from './spec';
import { MATCHER_FIELDS, ruleFields } from '../schema/labels';

/** Enters on a custom event posted through the events API, optionally filtered by rules. */
export const triggerEvent = defineNode({
  kind: 'trigger.event',
  category: 'trigger',
  title: { 'zh-CN': '自定义事件', en: 'Custom event' },
  config: CustomEventFilter,
  fields: {
    name: MATCHER_FIELDS.name!,
    ...ruleFields('where', { en: 'Only when', 'zh-CN': '仅当', optional: true }),
  },
  ports: () => NEXT,
  plan: (c) => c,
  opensQuota: null,
  entry: (nodeId, c) => ({
    kind: 'event',
    nodeId,
    eventTypes: ['custom'],
    matcher: { type: 'custom', ...c },
  }),
  resources: (c) => ruleResources(c.where, ['where']),
});
