/**
 * The dry run (docs/product.md#simulating-a-flow): a flow run on the simulator for real
 * followers as they are stored — their tags, profile and open customer-service quota — with
 * no side effect. It counts how many would enter, reach each step, leave by each port, and
 * receive each message, and why the others would not (the same reasons the live flow
 * records). Each follower is entered now, by the trigger the flow has:
 *
 * - an event trigger: a sample of its event (the trigger's first scene, keyword, key, …),
 *   judged by the router's own matcher with the follower's facts (`where` rules included);
 * - a broadcast: its audience rules;
 * - a birthday or repurchase date: every follower with a birthday / a purchase on record
 *   (as if today were their date).
 *
 * After the entry, nothing else happens: waits for an event time out, so the counts are those
 * of fans who do nothing more — the lower bound of what the flow will do.
 */
import type { LocalizedText } from '../issues';
import { findEntries } from '../match-event';
import type { EventEntry, ExecutionPlan } from '../plan';
import type { Quota } from '../quota';
import { evaluateRules } from '../rules/evaluate';
import { buildFacts, type FollowerRecord } from '../rules/facts';
import type { ScenarioEvent } from './scenario';
import { simulate, type SimBrand } from './simulate';

export interface DryRunFollower {
  follower: FollowerRecord;
  quota: Quota | null;
}

export interface DryRunNode {
  /** Followers who reached the step (once each, however many times they came back). */
  reached: number;
  ports: Record<string, number>;
  messages: {
    sent: number;
    deferred: number;
    channels: Record<string, number>;
    skipped: Record<string, number>;
  };
  /** Followers still waiting here when the dry run stopped watching. */
  waiting: number;
}

export interface DryRunResult {
  followers: number;
  entered: number;
  /** Why the others would not enter, with how many. */
  notEntered: Record<string, number>;
  nodes: Record<string, DryRunNode>;
  /** How the journeys would end: completed, exited, converted, failed, waiting. */
  ends: Record<string, number>;
  /** The sample event an event trigger was tried with (null for dates and broadcasts). */
  entryEvent: ScenarioEvent | null;
  start: string;
  until: string;
}

export const NOT_ENTERED: Record<string, LocalizedText> = {
  unfollowed: { en: 'no longer follows the account', 'zh-CN': '已取消关注' },
  trigger: {
    en: 'the trigger’s conditions do not hold for them',
    'zh-CN': '不满足触发条件',
  },
  no_date: {
    en: 'no birthday or purchase on record for the date trigger',
    'zh-CN': '没有日期触发所需的生日或购买记录',
  },
  audience: { en: 'not in the broadcast’s audience', 'zh-CN': '不在群发受众内' },
  no_trigger: {
    en: 'the flow has no trigger a dry run can sample',
    'zh-CN': '流程没有可模拟的触发',
  },
};

/** A value a scene pattern matches: the scene itself, or the prefix of `cup*` with a suffix. */
const sceneOf = (patterns: readonly string[] | undefined) =>
  patterns?.[0] ? patterns[0].replace(/\*$/, '001') : undefined;

/** An event the trigger entry would accept (its first option of each filter). */
export function sampleEntryEvent(entry: EventEntry): Omit<ScenarioEvent, 'at'> | null {
  const m = entry.matcher;
  switch (m.type) {
    case 'follow':
      return {
        type: 'follow',
        firstTime: true,
        ...(m.scenes ? { scene: sceneOf(m.scenes)! } : {}),
      };
    case 'qr_scan':
      return {
        type: 'qr_scan',
        scene: sceneOf(m.scenes) ?? 'sample',
        newFollower: m.who === 'new',
      };
    case 'keyword':
      return { type: 'keyword', text: m.keywords[0] ?? '' };
    case 'menu_click':
      return { type: 'menu_click', key: m.keys?.[0] ?? 'MENU' };
    case 'location':
      return { type: 'location', location: m.center ?? { lat: 31.23, lng: 121.47 } };
    case 'purchase':
      return {
        type: 'purchase',
        amount: m.minAmount ?? 1,
        ...(m.category ? { category: m.category } : {}),
      };
    case 'tag_added':
      return { type: 'tag_added', tag: m.tag ?? 'sample' };
    case 'custom':
      return { type: 'custom', name: m.name };
    case 'unfollow':
      return null;
  }
}

const emptyNode = (): DryRunNode => ({
  reached: 0,
  ports: {},
  messages: { sent: 0, deferred: 0, channels: {}, skipped: {} },
  waiting: 0,
});
const bump = (r: Record<string, number>, key: string) => (r[key] = (r[key] ?? 0) + 1);

export async function dryRun(
  plan: ExecutionPlan,
  followers: readonly DryRunFollower[],
  options: { now: number; brand?: SimBrand; until?: string },
): Promise<DryRunResult> {
  const start = new Date(options.now).toISOString();
  const until = options.until ?? '+30d';
  const firstEvent = Object.values(plan.triggers.events).flat()[0];
  const sample = firstEvent ? sampleEntryEvent(firstEvent) : null;
  const dated = plan.triggers.dates[0];
  const broadcast = plan.triggers.broadcasts[0];
  const result: DryRunResult = {
    followers: followers.length,
    entered: 0,
    notEntered: {},
    nodes: Object.fromEntries(Object.keys(plan.steps).map((id) => [id, emptyNode()])),
    ends: {},
    entryEvent: sample ? { at: '+0m', ...sample } : null,
    start,
    until,
  };

  for (const known of followers) {
    const f = known.follower;
    if (f.subscribed === false) {
      bump(result.notEntered, 'unfollowed');
      continue;
    }
    let events: ScenarioEvent[] = [];
    if (sample && firstEvent) {
      const facts = buildFacts({ follower: f, event: sample });
      const enters = (await findEntries(plan, sample, facts, options.now)).length > 0;
      if (!enters) {
        bump(result.notEntered, 'trigger');
        continue;
      }
      events = [{ at: '+0m', ...sample }];
    } else if (broadcast) {
      if (!(await evaluateRules(broadcast.audience, buildFacts({ follower: f }), options.now))) {
        bump(result.notEntered, 'audience');
        continue;
      }
    } else if (dated) {
      const has = dated.schedule === 'birthday' ? f.birthday : f.lastPurchaseAt;
      if (!has) {
        bump(result.notEntered, 'no_date');
        continue;
      }
    } else {
      bump(result.notEntered, 'no_trigger');
      continue;
    }

    const run = await simulate(plan, { start, events, until }, options.brand, known);
    if (run.end.status === 'not_entered') {
      bump(result.notEntered, 'trigger');
      continue;
    }
    result.entered += 1;
    bump(result.ends, run.end.status);
    const reached = new Set<string>();
    for (const s of run.trace) {
      const node = result.nodes[s.nodeId];
      if (!node) continue;
      if (!reached.has(s.nodeId)) {
        reached.add(s.nodeId);
        node.reached += 1;
      }
      if (s.port) bump(node.ports, s.port);
      if (s.kind !== 'action.push' || s.port === null) continue;
      if (s.outcome === 'sent' || s.outcome === 'deferred') {
        node.messages[s.outcome] += 1;
        if (s.channel) bump(node.messages.channels, s.channel);
      } else if (s.outcome === 'skipped') bump(node.messages.skipped, s.reason ?? 'refused');
    }
    if (run.end.status === 'waiting') {
      const last = [...run.trace]
        .reverse()
        .find((s) => s.outcome === 'waiting' || s.outcome === 'deferred');
      if (last && result.nodes[last.nodeId]) result.nodes[last.nodeId]!.waiting += 1;
    }
  }
  return result;
}
