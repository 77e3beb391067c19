/**
 * Event filters, shared by the triggers (where most are required) and by `EventMatcher`
 * (exitOn, goal, wait.event — where they are optional and narrow "any event of that type").
 */
import { z } from 'zod';
import { Duration } from './duration';
import { bi } from './i18n';
import { FIELD_LABELS } from './field-labels';
import { checkPatternField } from './pattern';
import { Rules } from './rules';

export const EVENT_TYPES = [
  'follow',
  'unfollow',
  'qr_scan',
  'keyword',
  'menu_click',
  'location',
  'purchase',
  'tag_added',
  'custom',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** A QR scene value (WeChat: 1–64 chars), or a prefix ending in `*`. */
export const ScenePattern = z
  .string()
  .min(1)
  .max(200)
  .regex(
    /^[^*]+\*?$/,
    bi('a scene is an exact value or a prefix ending in *', '场景值应为精确值，或以 * 结尾的前缀'),
  );
export const SceneList = z
  .array(ScenePattern)
  .min(1, bi('list at least one QR scene', '至少填写一个二维码场景值'));

export const LatLng = z.strictObject({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
});
export type LatLng = z.infer<typeof LatLng>;

export const Who = z.enum(['new', 'existing', 'both']);
export const KeywordMatch = z.enum(['exact', 'contains', 'regex']);
const NonEmpty = z.string().trim().min(1, bi('must not be empty', '不能为空'));
const KeywordList = z.array(NonEmpty).min(1, bi('list at least one keyword', '至少填写一个关键词'));
const KeyList = z.array(NonEmpty).min(1, bi('list at least one menu key', '至少填写一个菜单 key'));
const Amount = z.number().min(0);

/** Regex keywords must be patterns every place accepts: a broken one would never match. */
function checkRegexKeywords(
  v: { keywords?: string[]; match?: string },
  ctx: z.RefinementCtx,
): void {
  if (v.match !== 'regex' || !v.keywords) return;
  v.keywords.forEach((k, i) => checkPatternField(ctx, ['keywords', i], k, FIELD_LABELS.keywords));
}

// --- trigger configs -------------------------------------------------------------------

export const FollowFilter = z.strictObject({
  scenes: SceneList.optional(),
  firstTimeOnly: z.boolean().optional(),
});
export const QrScanFilter = z.strictObject({ scenes: SceneList, who: Who.default('both') });
/**
 * What a follower's text must be: the keywords and how they match. One piece for
 * `trigger.keyword` and a keyword EventMatcher (wait.event, exit events, the goal), so both
 * offer the same choices and need at least one keyword.
 */
const keywordFields = { keywords: KeywordList, match: KeywordMatch.default('exact') };
export const KeywordFilter = z.strictObject(keywordFields).superRefine(checkRegexKeywords);
export const MenuClickFilter = z.strictObject({ keys: KeyList });
export const LocationFilter = z.strictObject({
  center: LatLng,
  radiusM: z.number().positive().max(100_000),
  cooldown: Duration.optional(),
});
export const PurchaseFilter = z.strictObject({
  category: NonEmpty.optional(),
  minAmount: Amount.optional(),
});
export const TagAddedFilter = z.strictObject({ tag: NonEmpty });
export const CustomEventFilter = z.strictObject({ name: NonEmpty, where: Rules.optional() });

// --- EventMatcher ----------------------------------------------------------------------

export const EventMatcher = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('follow'),
    scenes: SceneList.optional(),
    firstTimeOnly: z.boolean().optional(),
  }),
  z.strictObject({ type: z.literal('unfollow') }),
  z.strictObject({ type: z.literal('qr_scan'), scenes: SceneList.optional(), who: Who.optional() }),
  z.strictObject({ type: z.literal('keyword'), ...keywordFields }).superRefine(checkRegexKeywords),
  z.strictObject({ type: z.literal('menu_click'), keys: KeyList.optional() }),
  z
    .strictObject({
      type: z.literal('location'),
      center: LatLng.optional(),
      radiusM: z.number().positive().optional(),
    })
    .refine((v) => (v.center === undefined) === (v.radiusM === undefined), {
      message: bi(
        'needs both a centre and a radius, or neither',
        '中心点与半径须同时填写或同时留空',
      ),
    }),
  z.strictObject({
    type: z.literal('purchase'),
    category: NonEmpty.optional(),
    minAmount: Amount.optional(),
  }),
  z.strictObject({ type: z.literal('tag_added'), tag: NonEmpty.optional() }),
  z.strictObject({ type: z.literal('custom'), name: NonEmpty, where: Rules.optional() }),
]);
export type EventMatcher = z.infer<typeof EventMatcher>;

/**
 * An incoming event as the router hands it to the engine (already decoded from WeChat XML or
 * the events API). Only the fields its type uses are set.
 */
export interface FlowEvent {
  type: EventType;
  /** custom events */
  name?: string;
  /** follow via a parametric QR code (without `qrscene_`), or a scan */
  scene?: string | null;
  /** qr_scan: true when the scan was itself a follow (a new follower) */
  newFollower?: boolean;
  /** follow: true for the first follow ever (not a re-follow) */
  firstTime?: boolean;
  /** keyword: the text the follower sent */
  text?: string;
  /** menu_click: the button key */
  key?: string;
  location?: LatLng;
  /** purchase */
  category?: string;
  amount?: number;
  /** tag_added */
  tag?: string;
  /** the rest of the payload, visible to rules and to `{{event.*}}` */
  payload?: Record<string, unknown>;
}
