import { PurchaseFilter } from '../schema/event-matcher';
import { defineNode, NEXT } from './spec';
import { MATCHER_FIELDS } from '../schema/labels';

export const triggerPurchase = defineNode({
  kind: 'trigger.purchase',
  category: 'trigger',
  title: { 'zh-CN': '购买', en: 'Purchase' },
  config: PurchaseFilter,
  fields: {
    category: MATCHER_FIELDS.category!,
    minAmount: MATCHER_FIELDS.minAmount!,
  },
  ports: () => NEXT,
  plan: (c) => c,
  // Paying has opened no customer-service quota since 2023.
  opensQuota: null,
  entry: (nodeId, c) => ({
    kind: 'event',
    nodeId,
    eventTypes: ['purchase'],
    matcher: { type: 'purchase', ...c },
  }),
});
