/**
 * Durations (`30m`, `2h`, `3d`, `1w`) and times of day (`HH:MM`, flow timezone).
 * Kept as strings in the document so marketers can read and hand-write them; the plan
 * carries the milliseconds next to them so the workflow never re-parses.
 */
import { z } from 'zod';
import { bi } from './i18n';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const DURATION_RE = /^([1-9][0-9]{0,5})([mhdw])$/;
const TIME_RE = /^([01][0-9]|2[0-3]):([0-5][0-9])$/;

export const Duration = z
  .string()
  // The editor keeps the unit while the number is cleared (`h`): say what is missing.
  .refine((s) => !/^[mhdw]?$/.test(s), {
    message: bi('needs a number', '需要填写数字'),
    abort: true,
  })
  .regex(
    DURATION_RE,
    bi('should be a duration such as 30m, 2h, 3d or 1w', '应为时长，例如 30m、2h、3d 或 1w'),
  );
export type Duration = z.infer<typeof Duration>;

export const TimeOfDay = z
  .string()
  .regex(
    TIME_RE,
    bi('should be a time of day HH:MM (00:00–23:59)', '应为 HH:MM 格式的时间（00:00–23:59）'),
  );
export type TimeOfDay = z.infer<typeof TimeOfDay>;

/** Milliseconds of a valid duration string; throws on anything else (callers validate first). */
export function durationMs(duration: string): number {
  const m = DURATION_RE.exec(duration);
  if (!m) throw new RangeError(`not a duration: ${duration}`);
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

/** Minutes after midnight of a valid `HH:MM`. */
export function timeOfDayMinutes(time: string): number {
  const m = TIME_RE.exec(time);
  if (!m) throw new RangeError(`not a time of day: ${time}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

export const HOUR_MS = UNIT_MS.h;
export const DAY_MS = UNIT_MS.d;
