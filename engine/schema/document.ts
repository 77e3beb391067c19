/**
 * The `fanfare.flow/v1` document envelope (docs/product.md#the-flow-document). `FlowDraft` is
 * the shape the editor holds and the edit operations transform: structurally sound, but node
 * kinds and configs not yet checked (a marketer mid-edit has half-filled nodes). The fully
 * typed document, with one config schema per node kind, is `FlowDoc` in ./flow-doc.
 */
import { z } from 'zod';
import { Duration, TimeOfDay } from './duration';
import { EventMatcher } from './event-matcher';
import { bi } from './i18n';
import { normaliseTemplateData } from './message';
import { storableCheck } from './storable';

export const FORMAT = 'fanfare.flow/v1';

const validZones = new Map<string, boolean>();
/** IANA zone names, checked with Intl (pure, and available inside Temporal's sandbox). */
export function isTimezone(zone: string): boolean {
  let ok = validZones.get(zone);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      ok = zone.length > 0;
    } catch {
      ok = false;
    }
    validZones.set(zone, ok);
  }
  return ok;
}

export const Timezone = z
  .string()
  .refine(
    isTimezone,
    bi(
      'not a known IANA time zone (e.g. Asia/Shanghai)',
      '不是有效的 IANA 时区（例如 Asia/Shanghai）',
    ),
  );

export const Reentry = z.enum(['once', 'after_exit', 'always']);
export type Reentry = z.infer<typeof Reentry>;

export const QuietHours = z
  .strictObject({ from: TimeOfDay, to: TimeOfDay })
  .refine((q) => q.from !== q.to, {
    message: bi(
      'quiet hours must start and end at different times',
      '免打扰时段的开始与结束时间不能相同',
    ),
  });
export type QuietHours = z.infer<typeof QuietHours>;

export const FrequencyCap = z.strictObject({
  max: z.number().int().min(1).max(1000),
  per: Duration,
});
export type FrequencyCap = z.infer<typeof FrequencyCap>;

export const Goal = z.strictObject({ event: EventMatcher, within: Duration });
export type Goal = z.infer<typeof Goal>;

export const Settings = z.strictObject({
  /** Default: the brand's time zone (supplied to `compile`). */
  timezone: Timezone.optional(),
  entry: z.strictObject({ reentry: Reentry }).optional(),
  quietHours: QuietHours.nullable().optional(),
  frequencyCap: FrequencyCap.nullable().optional(),
  exitOn: z.array(EventMatcher).optional(),
  goal: Goal.nullable().optional(),
});
export type Settings = z.infer<typeof Settings>;

export const PARAMETER_KINDS = [
  'couponPool',
  'menu',
  'tag',
  'qrScene',
  'text',
  'template',
  /** A duration such as 48h (a wait, a window). */
  'duration',
  /** A number (a threshold, an amount): a field that is exactly `{{params.x}}` becomes a number. */
  'number',
] as const;
export const ParameterKind = z.enum(PARAMETER_KINDS);
export type ParameterKind = z.infer<typeof ParameterKind>;

export const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const Parameter = z.strictObject({
  name: z
    .string()
    .regex(
      PARAM_NAME,
      bi('a parameter name is letters, digits and _', '参数名只能包含字母、数字和下划线'),
    ),
  kind: ParameterKind,
  label: z.string().optional(),
  /** The label in each language the binding form shows (falls back to `label`, then the name). */
  labels: z.strictObject({ en: z.string().optional(), 'zh-CN': z.string().optional() }).optional(),
  /** What the value is for, shown under the field. */
  description: z.string().optional(),
  default: z.string().nullable().optional(),
});
export type Parameter = z.infer<typeof Parameter>;

export const Position = z.strictObject({ x: z.number(), y: z.number() });
export type Position = z.infer<typeof Position>;

export const NodeId = z.string().min(1, bi('must not be empty', '不能为空')).max(128);

const DraftNodeShape = z.strictObject({
  id: NodeId,
  kind: z.string().min(1),
  label: z.string().optional(),
  position: Position.optional(),
  config: z.unknown().optional(),
});
export type DraftNode = z.infer<typeof DraftNodeShape>;

/** Shapes a document may carry that mean the same as ours: normalised as it is loaded. */
function normaliseNode(node: DraftNode): DraftNode {
  const message = isRecord(node.config) ? node.config.message : undefined;
  if (node.kind !== 'action.push' || !isRecord(message) || message.type !== 'template') return node;
  const data = normaliseTemplateData(message.data);
  if (data === message.data) return node;
  return { ...node, config: { ...(node.config as object), message: { ...message, data } } };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A node before its kind and config are checked. */
export const DraftNode = DraftNodeShape.transform(normaliseNode);

export const Edge = z.strictObject({
  id: NodeId,
  from: NodeId,
  /** Omitted means `next`, the only port of triggers and actions. */
  port: z.string().min(1).default('next'),
  to: NodeId,
});
export type Edge = z.infer<typeof Edge>;

const docFields = {
  format: z.literal(
    FORMAT,
    bi(
      `must be ${FORMAT}: this is not a Fanfare flow file`,
      `必须是 ${FORMAT}：这不是 Fanfare 流程文件`,
    ),
  ),
  name: z.string(),
  description: z.string().optional(),
  settings: Settings.optional(),
  parameters: z.array(Parameter).optional(),
  edges: z.array(Edge),
};

/** Every string in it must be storable, configs included (./storable). */
export const FlowDraft = z
  .strictObject({ ...docFields, nodes: z.array(DraftNode) })
  .check(storableCheck());
export type FlowDraft = z.infer<typeof FlowDraft>;
/** What FlowDraft accepts before defaults are applied (e.g. an edge without `port`). */
export type FlowDraftInput = z.input<typeof FlowDraft>;

/** Shared with ./flow-doc so both shapes stay one definition. */
export const flowDocFields = docFields;
