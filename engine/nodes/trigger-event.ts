import { CustomEventFilter } from '../schema/event-matcher';
import { defineNode, NEXT, ruleResources } from './spec';

/** Enters on a custom event posted through the events API, optionally filtered by rules. */
export const triggerEvent = defineNode({
  kind: 'trigger.event',
  category: 'trigger',
  title: { 'zh-CN': '自定义事件', en: 'Custom event' },
  config: CustomEventFilter,
  ports: () => NEXT,
  plan: (c) => c,
  opensWindow: true,
  entry: (nodeId, c) => ({
    kind: 'event',
    nodeId,
    eventTypes: ['custom'],
    matcher: { type: 'custom', ...c },
  }),
  resources: (c) => ruleResources(c.where, ['where']),
});
