import { TagAddedFilter } from '../schema/event-matcher';
import { defineNode, NEXT } from './spec';

export const triggerTagAdded = defineNode({
  kind: 'trigger.tag_added',
  category: 'trigger',
  title: { 'zh-CN': '被打标签', en: 'Tag added' },
  config: TagAddedFilter,
  fields: { tag: { en: 'Tag', 'zh-CN': '标签' } },
  ports: () => NEXT,
  plan: (c) => c,
  opensQuota: null,
  entry: (nodeId, c) => ({
    kind: 'event',
    nodeId,
    eventTypes: ['tag_added'],
    matcher: { type: 'tag_added', ...c },
  }),
  resources: (c) => [{ kind: 'tag', value: c.tag, path: ['tag'], use: 'ref' }],
});
