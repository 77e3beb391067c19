import { MenuClickFilter } from '../schema/event-matcher';
import { defineNode, NEXT } from './spec';
import { MATCHER_FIELDS } from '../schema/labels';

export const triggerMenuClick = defineNode({
  kind: 'trigger.menu_click',
  category: 'trigger',
  title: { 'zh-CN': '点击菜单', en: 'Menu click' },
  config: MenuClickFilter,
  fields: { keys: MATCHER_FIELDS.keys! },
  ports: () => NEXT,
  plan: (c) => c,
  opensQuota: 'event',
  entry: (nodeId, c) => ({
    kind: 'event',
    nodeId,
    eventTypes: ['menu_click'],
    matcher: { type: 'menu_click', ...c },
  }),
});
