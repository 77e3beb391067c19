import { z } from 'zod';
import { TimeOfDay, timeOfDayMinutes } from '../schema/duration';
import { bi } from '../schema/i18n';
import { defineNode, NEXT } from './spec';
import { TIME_OF_DAY } from '../schema/labels';

/** Waits for the next `at` (on one of `weekdays`, 1 = Monday … 7 = Sunday) in the flow timezone. */
export const waitUntil = defineNode({
  kind: 'wait.until',
  category: 'logic',
  title: { 'zh-CN': '等到时间点', en: 'Wait until' },
  config: z.strictObject({
    at: TimeOfDay,
    weekdays: z
      .array(z.number().int().min(1).max(7))
      .min(1, bi('choose at least one weekday', '至少选择一个星期几'))
      .refine((d) => new Set(d).size === d.length, bi('a weekday is listed twice', '星期几重复'))
      .optional(),
  }),
  fields: {
    at: TIME_OF_DAY,
    weekdays: { en: 'Only on', 'zh-CN': '仅限', optional: true, type: 'weekdays' },
  },
  ports: () => NEXT,
  plan: (c) => ({ ...c, atMinutes: timeOfDayMinutes(c.at) }),
  isWait: true,
  // The next such moment may be seconds away: it adds nothing certain to the quota's clock.
  quota: () => ({ waitMs: 0 }),
});
