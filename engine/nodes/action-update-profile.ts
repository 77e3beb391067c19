import { z } from 'zod';
import { bi } from '../schema/i18n';
import { defineNode, NEXT } from './spec';

const ProfileFields = z.strictObject({
  gender: z.enum(['male', 'female', 'other']).optional(),
  province: z.string().optional(),
  city: z.string().optional(),
  birthday: z
    .string()
    .regex(
      /^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/,
      bi('a birthday is MM-DD', '生日格式为 MM-DD'),
    )
    .optional(),
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
  ports: () => NEXT,
  plan: (c) => c,
});
