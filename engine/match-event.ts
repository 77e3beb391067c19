/**
 * Does an incoming event match an EventMatcher (a trigger's filters, an exitOn entry, a goal,
 * a wait.event)? Synchronous filters here; a custom event's `where` rules need
 * `evaluateRules` and are applied by `findEntries`.
 */
import type { EventEntry, ExecutionPlan } from './plan';
import type { EventMatcher, FlowEvent } from './schema/event-matcher';
import { distanceM } from './rules/operators';
import { evaluateRules } from './rules/evaluate';
import type { Facts } from './rules/facts';

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
      return m.keywords.some((k) => {
        try {
          return new RegExp(k).test(t);
        } catch {
          return false;
        }
      });
    default:
      return m.keywords.some((k) => t.toLowerCase() === k.toLowerCase());
  }
}

/** The filters of a matcher, without a custom event's `where` rules. */
export function matchesEventFilters(m: EventMatcher, e: FlowEvent): boolean {
  // A follow through a parametric QR code is also a scan, by a new follower (PRODUCT.md).
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

export async function matchesEvent(
  m: EventMatcher,
  e: FlowEvent,
  facts: Facts,
  now: number | Date,
): Promise<boolean> {
  if (!matchesEventFilters(m, e)) return false;
  if (m.type === 'custom' && m.where) return evaluateRules(m.where, facts, now);
  return true;
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
