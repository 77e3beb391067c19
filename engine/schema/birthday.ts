/**
 * A birthday is a month and a day, `MM-DD`, that exists on the calendar: 02-31 and 04-31 are
 * refused, 02-29 is allowed (leap-day birthdays are real). One rule for every door that sets
 * one — the events API and the update-profile step.
 */
import { z } from 'zod';
import { bi } from './i18n';

const MM_DD = /^(\d{2})-(\d{2})$/;

export function isBirthday(text: string): boolean {
  const m = MM_DD.exec(text);
  if (!m) return false;
  const month = Number(m[1]);
  const day = Number(m[2]);
  if (month < 1 || month > 12 || day < 1) return false;
  // 2000 is a leap year: its calendar holds every birthday there is.
  return day <= new Date(Date.UTC(2000, month, 0)).getUTCDate();
}

export const Birthday = z
  .string()
  .refine(
    isBirthday,
    bi(
      'a birthday is a real date written MM-DD, e.g. 03-15 (02-29 is allowed)',
      '生日须为真实存在的日期，格式为 MM-DD，例如 03-15（可以是 02-29）',
    ),
  );
