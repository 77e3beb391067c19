/**
 * What every node kind declares, in one place per kind (./<kind>.ts): its config schema, its
 * output ports, how it enters the trigger index, how it affects the 48-hour window, which
 * brand resources it names, and the step it becomes in the plan.
 */
import type { z } from 'zod';
import type { LocalizedText } from '../issues';
import type { TriggerEntry } from '../plan';
import { leaves, type RuleCondition } from '../schema/rules';
import type { EventMatcher } from '../schema/event-matcher';

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

/** How leaving a node through a port changes the customer-service window (WECHAT.md). */
export type WindowEffect = { waitMs: number } | 'reopen';

// Methods (not arrow properties) keep the parameter bivariant, so every spec fits the
// registry's `NodeSpec<unknown, unknown>` while keeping its own config type at definition.
export interface NodeSpec<C, P = C> {
  kind: NodeKind;
  category: 'trigger' | 'logic' | 'action';
  title: LocalizedText;
  config: z.ZodType<C>;
  ports(config: C): readonly string[];
  plan(config: C): P;
  /** Triggers: where the event router and the date sweeps find this entry point. */
  entry?(nodeId: string, config: C): TriggerEntry;
  /** Triggers: false when the follower cannot be inside the 48-hour window at entry. */
  opensWindow?: boolean;
  /** wait.* nodes break loops and add to the time since the last interaction. */
  isWait?: boolean;
  window?(config: C, port: string): WindowEffect;
  resources?(config: C): ResourceRef[];
}

export function defineNode<C, P = C>(spec: NodeSpec<C, P>): NodeSpec<C, P> {
  return spec;
}

export const NEXT = ['next'] as const;
export const noPorts = [] as const;

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

/** Events a follower initiates: WeChat opens the 48-hour window for them. */
export const INTERACTIVE_EVENTS: readonly EventMatcher['type'][] = [
  'follow',
  'qr_scan',
  'keyword',
  'menu_click',
];
