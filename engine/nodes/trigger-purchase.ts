import { PurchaseFilter } from '../schema/event-matcher';
import { defineNode, NEXT } from './spec';

export const triggerPurchase = defineNode({
  kind: 'trigger.purchase',
  category: 'trigger',
  title: { 'zh-CN': '购买', en: 'Purchase' },
  config: PurchaseFilter,
  ports: () => NEXT,
  plan: (c) => c,
  opensWindow: true,
  entry: (nodeId, c) => ({
    kind: 'event',
    nodeId,
    eventTypes: ['purchase'],
    matcher: { type: 'purchase', ...c },
  }),
});
