import { KeywordFilter } from '../schema/event-matcher';
import { defineNode, NEXT } from './spec';
import { KEYWORD_FIELDS } from '../schema/labels';

/** Enters when the follower sends a matching text (which also opens a quota of 5 customer-service messages within 48 hours). */
export const triggerKeyword = defineNode({
  kind: 'trigger.keyword',
  category: 'trigger',
  title: { 'zh-CN': '关键词', en: 'Keyword' },
  config: KeywordFilter,
  fields: KEYWORD_FIELDS,
  ports: () => NEXT,
  plan: (c) => c,
  opensQuota: 'message',
  entry: (nodeId, c) => ({
    kind: 'event',
    nodeId,
    eventTypes: ['keyword'],
    matcher: { type: 'keyword', ...c },
  }),
});
