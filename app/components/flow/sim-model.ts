/**
 * The Simulate panel's model, without React: a default scenario from the flow's trigger, the
 * start time (the next 10:00 in the flow's time zone), times between the scenario's ISO form
 * and a `datetime-local` field, the script's errors by field, and what a playback shows at a
 * point of the virtual clock (the trace items revealed, the messages the fan has, the nodes
 * and connections lit on the canvas). docs/product.md#simulating-a-flow.
 */
import {
  nextTimeOfDay,
  parseDateTimeIn,
  wallTime,
  type Edge,
  type FlowDraft,
} from '../../lib/engine';
import type { EventType } from '../../../engine/schema/event-matcher';
import type { ScenarioInput, SimResult } from '../../../engine/simulate/index';

export type ScenarioEventInput = NonNullable<ScenarioInput['events']>[number];

/** The one field each event type takes in the script (null: none). */
export const EVENT_FIELD: Record<
  EventType,
  'scene' | 'text' | 'key' | 'amount' | 'tag' | 'name' | null
> = {
  follow: 'scene',
  unfollow: null,
  qr_scan: 'scene',
  keyword: 'text',
  menu_click: 'key',
  location: null,
  purchase: 'amount',
  tag_added: 'tag',
  custom: 'name',
};

const pad = (n: number) => String(n).padStart(2, '0');

/** `ms` as an ISO time with the zone's offset: 2026-11-30T10:00:00+08:00. */
export function isoInZone(ms: number, timeZone: string): string {
  const w = wallTime(ms, timeZone);
  const wallMs = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const offset = Math.round((wallMs - Math.floor(ms / 1000) * 1000) / 60_000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The next 10:00 in the zone after `now`: a simulation starts in office hours by default. */
export function defaultStart(now: number, timeZone: string): string {
  return isoInZone(nextTimeOfDay(now, timeZone, 600), timeZone);
}

/** An ISO time → the `datetime-local` value of its wall time in the zone ('' when unreadable). */
export function toLocalInput(iso: string | undefined, timeZone: string): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const w = wallTime(ms, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** A `datetime-local` value read in the zone → ISO with the zone's offset (undefined when empty). */
export function fromLocalInput(value: string, timeZone: string): string | undefined {
  if (!value) return undefined;
  const ms = parseDateTimeIn(value, timeZone);
  return Number.isNaN(ms) ? undefined : isoInZone(ms, timeZone);
}

function firstOf(list: unknown): string | undefined {
  return Array.isArray(list) && typeof list[0] === 'string' ? list[0] : undefined;
}

/** What a fan does to enter the flow through its first trigger (empty for dated triggers). */
export function triggerEvents(doc: FlowDraft): ScenarioEventInput[] {
  const trigger = doc.nodes.find((n) => n.kind.startsWith('trigger.'));
  if (!trigger) return [];
  const c = (trigger.config ?? {}) as Record<string, unknown>;
  // A scene pattern `cup*` is stood for by a scene it matches.
  const scene = firstOf(c.scenes)?.replace(/\*$/, '_1');
  switch (trigger.kind) {
    case 'trigger.follow':
      return [{ at: '+0m', type: 'follow', ...(scene ? { scene } : {}) }];
    case 'trigger.qr_scan':
      return [{ at: '+0m', type: c.who === 'new' ? 'follow' : 'qr_scan', scene: scene ?? 'qr' }];
    case 'trigger.keyword': {
      const keyword = c.match === 'regex' ? undefined : firstOf(c.keywords);
      return [{ at: '+0m', type: 'keyword', text: keyword ?? '' }];
    }
    case 'trigger.menu_click':
      return [{ at: '+0m', type: 'menu_click', key: firstOf(c.keys) ?? '' }];
    case 'trigger.purchase':
      return [
        {
          at: '+0m',
          type: 'purchase',
          amount: typeof c.minAmount === 'number' ? c.minAmount : 100,
          ...(typeof c.category === 'string' ? { category: c.category } : {}),
        },
      ];
    case 'trigger.tag_added':
      return [{ at: '+0m', type: 'tag_added', tag: typeof c.tag === 'string' ? c.tag : '' }];
    case 'trigger.event':
      return [{ at: '+0m', type: 'custom', name: typeof c.name === 'string' ? c.name : '' }];
    case 'trigger.unfollow':
      return [{ at: '+0m', type: 'unfollow' }];
    default:
      return [];
  }
}

/** A new test follower for the flow: its trigger's event at the next 10:00, watched 7 days. */
export function defaultScenario(doc: FlowDraft, now: number, timeZone: string): ScenarioInput {
  const events = triggerEvents(doc);
  const follows = events.some((e) => e.type === 'follow');
  return {
    // A fan who follows arrives unsubscribed; anyone else already follows the account.
    follower: { subscribed: !follows, tags: [] },
    start: defaultStart(now, timeZone),
    events,
    until: '+7d',
  };
}

/** The script's errors by field path (`events[1].at`, `until`, `follower.tags[0]`). */
export function errorsByPath(
  issues: readonly { path: string; message: string }[],
): Map<string, string> {
  const out = new Map<string, string>();
  for (const i of issues) if (!out.has(i.path)) out.set(i.path, i.message);
  return out;
}

/** The errors of event row `i`: its own fields' and the row's. */
export function rowErrors(errors: ReadonlyMap<string, string>, i: number): string[] {
  const prefix = `events[${i}]`;
  return [...errors.entries()]
    .filter(([path]) => path === prefix || path.startsWith(`${prefix}.`))
    .map(([, message]) => message);
}

/** For each message, the index of the trace item that sent it (the fan has it once that item shows). */
export function messageSteps(result: SimResult): number[] {
  const used = new Set<number>();
  return result.messages.map((m) => {
    const at = Date.parse(m.at);
    const i = result.trace.findIndex(
      (s, k) =>
        !used.has(k) &&
        s.nodeId === m.nodeId &&
        s.port !== null &&
        (s.outcome === 'sent' || s.outcome === 'deferred') &&
        Date.parse(s.at) >= at,
    );
    if (i >= 0) used.add(i);
    // Not found (should not happen): shown with the first item at or after its time.
    return i >= 0
      ? i
      : Math.max(
          0,
          result.trace.findIndex((s) => Date.parse(s.at) >= at),
        );
  });
}

/** How many trace items have happened by `clock` (ms). */
export function shownAt(result: SimResult, clock: number): number {
  let n = 0;
  while (n < result.trace.length && Date.parse(result.trace[n]!.at) <= clock) n++;
  return n;
}

/** The first instant after `clock` when something happens (null: nothing more). */
export function nextEventAt(result: SimResult, clock: number): number | null {
  for (const s of result.trace) {
    const at = Date.parse(s.at);
    if (at > clock) return at;
  }
  const end = Date.parse(result.end.at);
  return end > clock ? end : null;
}

export interface Highlight {
  visited: ReadonlySet<string>;
  current: string | null;
  edges: ReadonlySet<string>;
}

export const NO_HIGHLIGHT: Highlight = { visited: new Set(), current: null, edges: new Set() };

/** The steps visited and the connections taken by the first `shown` trace items. */
export function highlightOf(result: SimResult, shown: number, edges: readonly Edge[]): Highlight {
  if (shown <= 0) return NO_HIGHLIGHT;
  const visited = new Set<string>();
  const taken = new Set<string>();
  const items = result.trace.slice(0, shown);
  for (const s of items) {
    visited.add(s.nodeId);
    if (!s.port) continue;
    const edge = edges.find((e) => e.from === s.nodeId && e.port === s.port);
    if (edge) taken.add(edge.id);
  }
  // A connection lights once the step it leads to has been reached.
  for (const id of taken) {
    const edge = edges.find((e) => e.id === id);
    if (edge && !visited.has(edge.to)) taken.delete(id);
  }
  return { visited, current: items[items.length - 1]!.nodeId, edges: taken };
}
