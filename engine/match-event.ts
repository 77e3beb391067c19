/**
 * Does an incoming event match an EventMatcher (a trigger's filters, an exitOn entry, a goal,
 * a wait.event)? One matcher for the router and the journey: the filters are synchronous; a
 * custom event's `where` rules need the follower's facts, so the router evaluates them — for
 * entries, and for the matchers of the journeys it signals (`whereVerdicts`), whose answers
 * travel with the event (`matchesHeard`).
 */
import type { EventEntry, ExecutionPlan } from './plan';
import type { EventMatcher, FlowEvent } from './schema/event-matcher';
import { patternMatches } from './patterns';
import { distanceM } from './rules/operators';
import { evaluateRules } from './rules/evaluate';
import type { Facts } from './rules/facts';
import type { RuleCondition } from './schema/rules';

export function sceneMatches(
  patterns: readonly string[] | undefined,
  scene: string | null | undefined,
): boolean {
  if (!patterns) return true;
  if (!scene) return false;
  return patterns.some((p) => (p.endsWith('*') ? scene.startsWith(p.slice(0, -1)) : scene === p));
}

function keywordMatches(
  m: { keywords?: string[]; match?: string },
  text: string | undefined,
): boolean {
  if (!m.keywords) return true;
  if (text === undefined) return false;
  const t = text.trim();
  switch (m.match ?? 'exact') {
    case 'contains':
      return m.keywords.some((k) => t.toLowerCase().includes(k.toLowerCase()));
    case 'regex':
      // Linear time (RE2): a fan's text cannot stall the router or a journey.
      return m.keywords.some((k) => patternMatches(k, t));
    default:
      return m.keywords.some((k) => t.toLowerCase() === k.toLowerCase());
  }
}

/** The filters of a matcher, without a custom event's `where` rules. */
export function matchesEventFilters(m: EventMatcher, e: FlowEvent): boolean {
  // A follow through a parametric QR code is also a scan, by a new follower
  // (docs/product.md#triggers).
  const asScan = m.type === 'qr_scan' && e.type === 'follow' && !!e.scene;
  if (m.type !== e.type && !asScan) return false;
  switch (m.type) {
    case 'follow':
      return sceneMatches(m.scenes, e.scene) && (!m.firstTimeOnly || e.firstTime === true);
    case 'qr_scan': {
      const isNew = asScan || e.newFollower === true;
      if (m.who === 'new' && !isNew) return false;
      if (m.who === 'existing' && isNew) return false;
      return sceneMatches(m.scenes, e.scene);
    }
    case 'keyword':
      return keywordMatches(m, e.text);
    case 'menu_click':
      return !m.keys || (e.key !== undefined && m.keys.includes(e.key));
    case 'location':
      return (
        !m.center ||
        (e.location !== undefined && distanceM(e.location, m.center) <= (m.radiusM ?? 0))
      );
    case 'purchase':
      return (
        (m.category === undefined || e.category === m.category) &&
        (m.minAmount === undefined || (e.amount ?? 0) >= m.minAmount)
      );
    case 'tag_added':
      return m.tag === undefined || e.tag === m.tag;
    case 'custom':
      return e.name === m.name;
    case 'unfollow':
      return true;
  }
}

/** A custom event matcher's `where` rules: the part that needs the follower's facts. */
function whereOf(m: EventMatcher): RuleCondition | undefined {
  return m.type === 'custom' ? m.where : undefined;
}

export async function matchesEvent(
  m: EventMatcher,
  e: FlowEvent,
  facts: Facts,
  now: number | Date,
): Promise<boolean> {
  if (!matchesEventFilters(m, e)) return false;
  const where = whereOf(m);
  return where ? evaluateRules(where, facts, now) : true;
}

/**
 * The matchers a running journey listens to, under keys stable for a plan: `exitOn:<i>`,
 * `goal`, and `step:<id>` for each wait.event step.
 */
export function journeyMatchers(plan: ExecutionPlan): { key: string; matcher: EventMatcher }[] {
  const out = plan.settings.exitOn.map((matcher, i) => ({ key: `exitOn:${i}`, matcher }));
  if (plan.settings.goal) out.push({ key: 'goal', matcher: plan.settings.goal.event });
  for (const step of Object.values(plan.steps)) {
    if (step.kind === 'wait.event')
      out.push({ key: `step:${step.id}`, matcher: (step.config as { event: EventMatcher }).event });
  }
  return out;
}

/**
 * The router's half of a journey's match: the keys of the plan's journey matchers that have
 * `where` rules and match this event — judged by `matchesEvent` on the same facts as entry.
 */
export async function whereVerdicts(
  plan: ExecutionPlan,
  e: FlowEvent,
  facts: Facts,
  now: number | Date,
): Promise<string[]> {
  const keys: string[] = [];
  for (const { key, matcher } of journeyMatchers(plan)) {
    if (whereOf(matcher) && (await matchesEvent(matcher, e, facts, now))) keys.push(key);
  }
  return keys;
}

/** An event as a journey hears it: with the router's `whereVerdicts` for that journey. */
export type HeardEvent = FlowEvent & { whereHolds?: readonly string[] };

/**
 * The journey's half: the filters here, a custom event's `where` rules as the router judged
 * them. An event without verdicts matches no matcher that has `where` rules.
 */
export function matchesHeard(m: EventMatcher, key: string, e: HeardEvent): boolean {
  if (!matchesEventFilters(m, e)) return false;
  return whereOf(m) ? (e.whereHolds ?? []).includes(key) : true;
}

/** Whether a matcher's answer depends on `where` rules (the journey's patch point). */
export function needsWhere(m: EventMatcher): boolean {
  return whereOf(m) !== undefined;
}

/** The trigger entries of a plan that this event enters (the event router's question). */
export async function findEntries(
  plan: ExecutionPlan,
  e: FlowEvent,
  facts: Facts,
  now: number | Date,
): Promise<EventEntry[]> {
  const out: EventEntry[] = [];
  for (const entry of plan.triggers.events[e.type] ?? []) {
    if (await matchesEvent(entry.matcher, e, facts, now)) out.push(entry);
  }
  return out;
}
