import { z } from 'zod';
import { defineNode, NEXT } from './spec';

/** Enters on an unfollow: useful for bookkeeping only, nothing can be pushed afterwards. */
export const triggerUnfollow = defineNode({
  kind: 'trigger.unfollow',
  category: 'trigger',
  title: { 'zh-CN': '取消关注', en: 'Unfollow' },
  config: z.strictObject({}),
  fields: {},
  ports: () => NEXT,
  plan: (c) => c,
  opensQuota: null,
  entry: (nodeId) => ({
    kind: 'event',
    nodeId,
    eventTypes: ['unfollow'],
    matcher: { type: 'unfollow' },
  }),
});
