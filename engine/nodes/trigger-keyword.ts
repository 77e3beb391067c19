import { KeywordFilter } from '../schema/event-matcher';
import { defineNode, NEXT } from './spec';

/** Enters when the follower sends a matching text (which also opens the 48-hour window). */
export const triggerKeyword = defineNode({
  kind: 'trigger.keyword',
  category: 'trigger',
  title: { 'zh-CN': '关键词', en: 'Keyword' },
  config: KeywordFilter,
  ports: () => NEXT,
  plan: (c) => c,
  opensWindow: true,
  entry: (nodeId, c) => ({
    kind: 'event',
    nodeId,
    eventTypes: ['keyword'],
    matcher: { type: 'keyword', ...c },
  }),
});
