/**
 * What every node kind declares, in one place per kind (./<kind>.ts): its config schema, its
 * output ports, how it enters the trigger index, how it affects the customer-service quota, which
 * brand resources it names, and the step it becomes in the plan.
 */
import type { z } from 'zod';
import type { LocalizedText } from '../issues';
import type { TriggerEntry } from '../plan';
import { leaves, type RuleCondition } from '../schema/rules';
import type { EventMatcher } from '../schema/event-matcher';
import type { FieldLabels } from '../schema/labels';
import type { QuotaKind } from '../quota';

export const NODE_KINDS = [
  'trigger.follow',
  'trigger.unfollow',
  'trigger.qr_scan',
  'trigger.keyword',
  'trigger.menu_click',
  'trigger.location',
  'trigger.birthday',
  'trigger.repurchase_due',
  'trigger.purchase',
  'trigger.tag_added',
  'trigger.event',
  'trigger.audience',
  'condition.rules',
  'split.random',
  'wait.delay',
  'wait.until',
  'wait.event',
  'flow.end',
  'action.tag',
  'action.coupon',
  'action.push',
  'action.menu_swap',
  'action.update_profile',
  'action.webhook',
] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

export function isNodeKind(kind: string): kind is NodeKind {
  return (NODE_KINDS as readonly string[]).includes(kind);
}

export type ResourceKind = 'tag' | 'couponPool' | 'menu' | 'qrScene' | 'template';
/** A brand resource named in a config, at a path relative to the config. */
export interface ResourceRef {
  kind: ResourceKind;
  value: string;
  path: (string | number)[];
  /** `add` for tags a flow creates (they count against the tag budget); `ref` otherwise. */
  use: 'add' | 'ref';
}

/**
 * How leaving a node through a port changes the follower's customer-service quota
 * (engine/quota.ts): a certain time passes, or a fan's action opens a new quota.
 */
export type QuotaEffect = { waitMs: number } | { opens: QuotaKind };

// Methods (not arrow properties) keep the parameter bivariant, so every spec fits the
// registry's `NodeSpec<unknown, unknown>` while keeping its own config type at definition.
export interface NodeSpec<C, P = C> {
  kind: NodeKind;
  category: 'trigger' | 'logic' | 'action';
  title: LocalizedText;
  config: z.ZodType<C>;
  /** The label of each config field, as the panel shows it and messages name it. */
  fields: FieldLabels;
  ports(config: C): readonly string[];
  plan(config: C): P;
  /** Triggers: where the event router and the date sweeps find this entry point. */
  entry?(nodeId: string, config: C): TriggerEntry;
  /**
   * Date triggers: enters the same follower again on a date that comes round (a birthday each
   * year, a repurchase each cycle), so `reentry: once` would greet them only the first time.
   */
  recurringDate?: boolean;
  /**
   * Triggers: the customer-service quota the entering action opens (engine/quota.ts); null
   * when it is not a fan's action that opens one (a sweep, a purchase, a custom event), so
   * no quota can be counted on at entry.
   */
  opensQuota?: QuotaKind | null;
  /** wait.* nodes break loops and add to the time since the last interaction. */
  isWait?: boolean;
  quota?(config: C, port: string): QuotaEffect;
  resources?(config: C): ResourceRef[];
}

export function defineNode<C, P = C>(spec: NodeSpec<C, P>): NodeSpec<C, P> {
  return spec;
}

export const NEXT = ['next'] as const;
export const noPorts = [] as const;

/**
 * Ports with a fixed meaning, by their label on the canvas (a split's ports are its branch
 * names, shown as they are).
 */
export const PORT_LABELS = {
  next: { en: 'Next', 'zh-CN': '下一步' },
  yes: { en: 'Yes', 'zh-CN': '是' },
  no: { en: 'No', 'zh-CN': '否' },
  matched: { en: 'Happened', 'zh-CN': '已发生' },
  timeout: { en: 'Timed out', 'zh-CN': '超时' },
} as const satisfies Record<string, LocalizedText>;
export type NamedPort = keyof typeof PORT_LABELS;
export const NAMED_PORTS = Object.keys(PORT_LABELS) as NamedPort[];
export const isNamedPort = (port: string): port is NamedPort => Object.hasOwn(PORT_LABELS, port);

export function portLabel(port: string): LocalizedText {
  return isNamedPort(port) ? PORT_LABELS[port] : { en: port, 'zh-CN': port };
}

/** Tags a condition tree mentions through hasTag / lacksTag / contains on `$.tags`. */
export function ruleResources(
  rules: RuleCondition | undefined,
  base: (string | number)[],
): ResourceRef[] {
  if (!rules) return [];
  return leaves(rules)
    .filter(
      ({ leaf }) =>
        leaf.fact === 'follower' &&
        leaf.path === '$.tags' &&
        ['hasTag', 'lacksTag', 'contains', 'doesNotContain'].includes(leaf.operator) &&
        typeof leaf.value === 'string',
    )
    .map(({ leaf, path }) => ({
      kind: 'tag',
      value: leaf.value as string,
      path: [...base, ...path, 'value'],
      use: 'ref',
    }));
}

export function sceneResources(
  scenes: string[] | undefined,
  base: (string | number)[],
): ResourceRef[] {
  return (scenes ?? []).map((value, i) => ({
    kind: 'qrScene',
    value,
    path: [...base, i],
    use: 'ref',
  }));
}

export function matcherResources(
  m: EventMatcher | undefined,
  base: (string | number)[],
): ResourceRef[] {
  if (!m) return [];
  switch (m.type) {
    case 'follow':
    case 'qr_scan':
      return sceneResources(m.scenes, [...base, 'scenes']);
    case 'tag_added':
      return m.tag ? [{ kind: 'tag', value: m.tag, path: [...base, 'tag'], use: 'ref' }] : [];
    case 'custom':
      return ruleResources(m.where, [...base, 'where']);
    default:
      return [];
  }
}

/** Events that are a fan's action opening a customer-service quota, and which (engine/quota.ts). */
export const QUOTA_OPENING_EVENTS: Partial<Record<EventMatcher['type'], QuotaKind>> = {
  follow: 'event',
  qr_scan: 'event',
  menu_click: 'event',
  keyword: 'message',
};
