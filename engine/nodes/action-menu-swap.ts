import { z } from 'zod';
import { bi } from '../schema/i18n';
import { defineNode, NEXT } from './spec';

/** Shows the follower another custom menu, via that menu's reserved tag (docs/wechat.md#menus). */
export const actionMenuSwap = defineNode({
  kind: 'action.menu_swap',
  category: 'action',
  title: { 'zh-CN': '切换菜单', en: 'Menu swap' },
  config: z.strictObject({ menu: z.string().trim().min(1, bi('choose a menu', '请选择菜单')) }),
  fields: { menu: { en: 'Menu', 'zh-CN': '菜单' } },
  ports: () => NEXT,
  plan: (c) => c,
  resources: (c) => [{ kind: 'menu', value: c.menu, path: ['menu'], use: 'ref' }],
});
