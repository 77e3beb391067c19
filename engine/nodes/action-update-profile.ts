import { z } from 'zod';
import { Birthday } from '../schema/birthday';
import { bi } from '../schema/i18n';
import { defineNode, NEXT } from './spec';
import { GENDER_OPTIONS } from '../schema/labels';

const ProfileFields = z.strictObject({
  gender: z.enum(['male', 'female', 'other']).optional(),
  province: z.string().optional(),
  city: z.string().optional(),
  birthday: Birthday.optional(),
  phone: z.string().optional(),
  attributes: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
    .optional(),
});

/** Updates our own follower record (WeChat no longer provides gender, city or birthday). */
export const actionUpdateProfile = defineNode({
  kind: 'action.update_profile',
  category: 'action',
  title: { 'zh-CN': '更新资料', en: 'Update profile' },
  config: z
    .strictObject({
      set: ProfileFields.optional(),
      addPoints: z.number().int().min(-1_000_000).max(1_000_000).optional(),
      tier: z.string().trim().min(1).optional(),
    })
    .refine((c) => c.set !== undefined || c.addPoints !== undefined || c.tier !== undefined, {
      message: bi('set a field, add points or change the tier', '请设置字段、增加积分或修改等级'),
    }),
  fields: {
    addPoints: { en: 'Add points', 'zh-CN': '增加积分' },
    tier: { en: 'Set tier', 'zh-CN': '设置等级' },
    set: { en: 'Profile fields', 'zh-CN': '资料字段', group: true },
    'set.gender': { en: 'Gender', 'zh-CN': '性别', options: GENDER_OPTIONS },
    'set.province': { en: 'Province', 'zh-CN': '省份' },
    'set.city': { en: 'City', 'zh-CN': '城市' },
    'set.birthday': { en: 'Birthday (MM-DD)', 'zh-CN': '生日（MM-DD）' },
    'set.phone': { en: 'Phone', 'zh-CN': '手机号' },
    'set.attributes': { en: 'Attributes', 'zh-CN': '自定义属性', type: 'keyed' },
  },
  ports: () => NEXT,
  plan: (c) => c,
});
