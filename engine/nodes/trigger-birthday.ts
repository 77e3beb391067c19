import { z } from 'zod';
import { TimeOfDay, timeOfDayMinutes } from '../schema/duration';
import { defineNode, NEXT } from './spec';
import { DAYS_BEFORE, TIME_OF_DAY } from '../schema/labels';

/** Daily sweep: enters followers whose birthday is `daysBefore` days away (once a year). */
export const triggerBirthday = defineNode({
  kind: 'trigger.birthday',
  category: 'trigger',
  title: { 'zh-CN': '生日', en: 'Birthday' },
  config: z.strictObject({ daysBefore: z.number().int().min(0).max(30), at: TimeOfDay }),
  fields: { daysBefore: DAYS_BEFORE, at: TIME_OF_DAY },
  ports: () => NEXT,
  plan: (c) => ({ ...c, atMinutes: timeOfDayMinutes(c.at) }),
  // A sweep is not a fan's action: no customer-service quota can be counted on.
  opensQuota: null,
  recurringDate: true,
  entry: (nodeId, c) => ({
    kind: 'date',
    nodeId,
    schedule: 'birthday',
    daysBefore: c.daysBefore,
    at: c.at,
    atMinutes: timeOfDayMinutes(c.at),
  }),
});
