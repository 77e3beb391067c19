import { z } from 'zod';
import { bi } from '../schema/i18n';
import { defineNode, NEXT } from './spec';

/** One unused code from the pool, once per journey step; later steps may use {{coupon.*}}. */
export const actionCoupon = defineNode({
  kind: 'action.coupon',
  category: 'action',
  title: { 'zh-CN': '发券', en: 'Coupon' },
  config: z.strictObject({
    pool: z.string().trim().min(1, bi('choose a coupon pool', '请选择券池')),
  }),
  fields: { pool: { en: 'Coupon pool', 'zh-CN': '券池' } },
  ports: () => NEXT,
  plan: (c) => c,
  resources: (c) => [{ kind: 'couponPool', value: c.pool, path: ['pool'], use: 'ref' }],
});
