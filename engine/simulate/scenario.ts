/**
 * A simulation scenario (docs/product.md#simulating-a-flow): a test follower, when the clock
 * starts, what the follower does and when, and how long to watch. The same JSON in the
 * editor's Simulate panel, in `fanfare flow simulate --scenario`, and in the scenarios shipped
 * with the starter templates.
 *
 * ```json
 * {"follower": {"tags": ["vip"]}, "start": "2026-11-30T10:00:00+08:00",
 *  "events": [{"at": "+0m", "type": "follow"}, {"at": "+3h", "type": "keyword", "text": "咖啡"}],
 *  "until": "+7d"}
 * ```
 */
import { z } from 'zod';
import { EVENT_TYPES, LatLng } from '../schema/event-matcher';
import { bi } from '../schema/i18n';

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const OFFSET_RE = /^\+(\d{1,6})(s|m|h|d|w)$/;
/** The longest a scenario may watch: a quarter (a simulation is a preview, not a replay). */
export const MAX_SCENARIO_MS = 92 * UNIT_MS.d;

/** `+3h` after the start, or an ISO date-time with its offset. */
export const ScenarioTime = z
  .string()
  .max(40)
  .refine(
    (s) => OFFSET_RE.test(s) || (/[zZ]|[+-]\d{2}:\d{2}$/.test(s) && !Number.isNaN(Date.parse(s))),
    bi(
      'should be an offset such as +30m, +3h, +2d or an ISO time with its zone, e.g. 2026-11-30T10:00:00+08:00',
      '应为相对时间（如 +30m、+3h、+2d）或带时区的 ISO 时间（如 2026-11-30T10:00:00+08:00）',
    ),
  );

/** A time of the scenario in epoch ms: an offset from `start`, or an absolute ISO time. */
export function scenarioTime(value: string, start: number): number {
  const m = OFFSET_RE.exec(value);
  if (m) return start + Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  return Date.parse(value);
}

const Text = z.string().max(2_000);
/** What the follower does: the fields of an event as the events API and EventMatcher know them. */
export const ScenarioEvent = z.strictObject({
  at: ScenarioTime,
  type: z.enum(EVENT_TYPES),
  name: z.string().min(1).max(64).optional(),
  scene: z.string().min(1).max(64).optional(),
  newFollower: z.boolean().optional(),
  firstTime: z.boolean().optional(),
  text: Text.optional(),
  key: z.string().min(1).max(128).optional(),
  location: LatLng.optional(),
  category: z.string().max(64).optional(),
  amount: z.number().min(0).max(100_000_000).optional(),
  tag: z.string().min(1).max(30).optional(),
  payload: z.record(z.string().max(64), z.unknown()).optional(),
});
export type ScenarioEvent = z.infer<typeof ScenarioEvent>;

const When = z
  .string()
  .max(40)
  .refine(
    (s) => !Number.isNaN(Date.parse(s)),
    bi('should be an ISO date-time', '应为 ISO 日期时间'),
  );
/** The test follower as the flow first sees them (all optional: a new fan by default). */
export const ScenarioFollower = z.strictObject({
  openid: z.string().min(1).max(64).optional(),
  nickname: z.string().max(64).optional(),
  subscribed: z.boolean().optional(),
  subscribedAt: When.optional(),
  firstSubscribedAt: When.optional(),
  subscribeScene: z.string().max(64).optional(),
  qrScene: z.string().max(64).optional(),
  tags: z.array(z.string().min(1).max(30)).max(20).optional(),
  gender: z.enum(['male', 'female', 'other']).optional(),
  province: z.string().max(64).optional(),
  city: z.string().max(64).optional(),
  /** MM-DD */
  birthday: z
    .string()
    .regex(/^\d{2}-\d{2}$/, bi('should be MM-DD', '应为 MM-DD'))
    .optional(),
  tier: z.string().max(64).optional(),
  points: z.number().int().min(0).max(1e9).optional(),
  totalSpent: z.number().min(0).max(1e10).optional(),
  orderCount: z.number().int().min(0).max(1e7).optional(),
  lastPurchaseAt: When.optional(),
  /** The last message the fan sent before the start (opens the 48-hour quota). */
  lastMessageAt: When.optional(),
  attributes: z.record(z.string().max(64), z.unknown()).optional(),
});
export type ScenarioFollower = z.infer<typeof ScenarioFollower>;

export const Scenario = z
  .strictObject({
    name: z.string().max(100).optional(),
    follower: ScenarioFollower.optional(),
    start: z
      .string()
      .max(40)
      .refine(
        (s) => /[zZ]|[+-]\d{2}:\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)),
        bi(
          'should be an ISO time with its zone, e.g. 2026-11-30T10:00:00+08:00',
          '应为带时区的 ISO 时间，例如 2026-11-30T10:00:00+08:00',
        ),
      ),
    events: z.array(ScenarioEvent).max(200).default([]),
    until: ScenarioTime.default('+7d'),
  })
  .superRefine((s, ctx) => {
    const start = Date.parse(s.start);
    if (Number.isNaN(start)) return;
    const until = scenarioTime(s.until, start);
    if (until <= start)
      ctx.addIssue({
        code: 'custom',
        path: ['until'],
        message: bi('must come after the start', '必须晚于开始时间'),
      });
    else if (until - start > MAX_SCENARIO_MS)
      ctx.addIssue({
        code: 'custom',
        path: ['until'],
        message: bi('a scenario watches at most 92 days', '模拟最长 92 天'),
      });
    s.events.forEach((e, i) => {
      const at = scenarioTime(e.at, start);
      if (at < start)
        ctx.addIssue({
          code: 'custom',
          path: ['events', i, 'at'],
          message: bi('must not come before the start', '不能早于开始时间'),
        });
      if (e.type === 'custom' && !e.name)
        ctx.addIssue({
          code: 'custom',
          path: ['events', i, 'name'],
          message: bi('a custom event needs its name', '自定义事件需要名称'),
        });
    });
  });
export type Scenario = z.infer<typeof Scenario>;
export type ScenarioInput = z.input<typeof Scenario>;
