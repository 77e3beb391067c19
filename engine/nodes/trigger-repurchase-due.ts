import { z } from 'zod';
import { TimeOfDay, timeOfDayMinutes } from '../schema/duration';
import { bi } from '../schema/i18n';
import { defineNode, NEXT } from './spec';
import { DAYS_BEFORE, MATCHER_FIELDS, TIME_OF_DAY } from '../schema/labels';

/**
 * Daily sweep: last purchase (in the category) + cycle − daysBefore is today. The cycle is
 * the follower's own median interval when known, else `cycleDays`.
 */
export const triggerRepurchaseDue = defineNode({
  kind: 'trigger.repurchase_due',
  category: 'trigger',
  title: { 'zh-CN': '复购提醒', en: 'Repurchase due' },
  config: z
    .strictObject({
      category: z.string().trim().min(1).optional(),
      cycleDays: z.number().int().min(1).max(3650).optional(),
      daysBefore: z.number().int().min(0).max(365),
      at: TimeOfDay,
    })
    .refine((c) => c.cycleDays === undefined || c.daysBefore < c.cycleDays, {
      path: ['daysBefore'],
      message: bi('must be shorter than the purchase cycle', '必须小于购买周期天数'),
    }),
  fields: {
    category: MATCHER_FIELDS.category!,
    cycleDays: { en: 'Purchase cycle in days', 'zh-CN': '购买周期天数', optional: true },
    daysBefore: DAYS_BEFORE,
    at: TIME_OF_DAY,
  },
  ports: () => NEXT,
  plan: (c) => ({ ...c, atMinutes: timeOfDayMinutes(c.at) }),
  opensQuota: null,
  recurringDate: true,
  entry: (nodeId, c) => ({
    kind: 'date',
    nodeId,
    schedule: 'repurchase_due',
    daysBefore: c.daysBefore,
    at: c.at,
    atMinutes: timeOfDayMinutes(c.at),
    ...(c.category !== undefined ? { category: c.category } : {}),
    ...(c.cycleDays !== undefined ? { cycleDays: c.cycleDays } : {}),
  }),
});
