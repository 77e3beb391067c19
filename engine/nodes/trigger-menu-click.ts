import { MenuClickFilter } from '../schema/event-matcher';
import { defineNode, NEXT } from './spec';

export const triggerMenuClick = defineNode({
  kind: 'trigger.menu_click',
  category: 'trigger',
  title: { 'zh-CN': '点击菜单', en: 'Menu click' },
  config: MenuClickFilter,
  ports: () => NEXT,
  plan: (c) => c,
  opensWindow: true,
  entry: (nodeId, c) => ({
    kind: 'event',
    nodeId,
    eventTypes: ['menu_click'],
    matcher: { type: 'menu_click', ...c },
  }),
});
