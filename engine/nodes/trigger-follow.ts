import { FollowFilter } from '../schema/event-matcher';
import { defineNode, NEXT, sceneResources } from './spec';
import { MATCHER_FIELDS } from '../schema/labels';

/** Enters on a follow, optionally only via some QR scenes, optionally never for a re-follow. */
export const triggerFollow = defineNode({
  kind: 'trigger.follow',
  category: 'trigger',
  title: { 'zh-CN': '关注', en: 'Follow' },
  config: FollowFilter,
  fields: {
    scenes: MATCHER_FIELDS.scenes!,
    firstTimeOnly: MATCHER_FIELDS.firstTimeOnly!,
  },
  ports: () => NEXT,
  plan: (c) => c,
  opensQuota: 'event',
  entry: (nodeId, c) => ({
    kind: 'event',
    nodeId,
    eventTypes: ['follow'],
    matcher: { type: 'follow', ...c },
  }),
  resources: (c) => sceneResources(c.scenes, ['scenes']),
});
