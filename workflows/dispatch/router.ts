/**
 * The event router: for each stored event, signal the follower's running journeys (waits,
 * exits, goals), record a goal reached after a journey ended, and start a journey in every
 * live flow whose trigger index the event enters. A custom event's `where` rules are judged
 * here, with the follower's facts — for entries, and for the matchers of the running journeys
 * (the verdicts travel with the signal). Idempotent — the dispatcher may replay an event after
 * a crash: a journey is one row per (flow, follower, entry key) and its workflow id is derived
 * from that row; a conversion is recorded once.
 */
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type Client,
} from '@temporalio/client';
import { and, eq, gte, inArray, isNull, ne, sql } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import { findEntries, matchesEvent, whereVerdicts } from '../../engine/match-event';
import type { ExecutionPlan } from '../../engine/plan';
import { planHears } from '../../engine/journey/run';
import { flowEventOf, StoredEventBody } from '../../engine/events';
import { buildFacts, type Facts, type FollowerRecord } from '../../engine/rules/facts';
import type { Logger } from '../../config/logger';
import type { Db } from '../../db/client';
import { loadFollowerRecord } from '../../services/followers/facts';
import { bumpFlow, JOURNEY_NODE } from '../../services/analytics/counters';
import { flowVersions, flows, followers, journeys } from '../../db/schema';
import { markConverted } from '../activities/bookkeeping';
import type {
  EnterJourney,
  EnterJourneys,
  JourneyEvent,
  JourneyInput,
  LivePlan,
} from '../journey-types';
import { eventSignal, exitSignal, flowResumedSignal, journey } from '../workflows/journey';
import { FLOW_ARCHIVED, FLOW_RESUMED } from '../../services/flows/lifecycle';
import type { Route, StoredEvent } from './dispatcher';

/**
 * A stored event as flows see it (engine/events.ts maps each type of the contract), or null
 * when no flow reacts to it — or when the row does not fit the contract (`invalid`, which the
 * router logs: a writer broke the contract, and the event is not routed).
 */
export function journeyEventOf(event: StoredEvent): JourneyEvent | null | 'invalid' {
  const parsed = StoredEventBody.safeParse({
    type: event.type,
    name: event.name,
    payload: event.payload,
  });
  if (!parsed.success) return 'invalid';
  const flowEvent = flowEventOf(parsed.data);
  return flowEvent
    ? { ...flowEvent, id: String(event.id), occurredAt: event.occurredAt.toISOString() }
    : null;
}

/** A purchase enters a category flow when any of its items is in that category. */
function variants(event: JourneyEvent): JourneyEvent[] {
  if (event.type !== 'purchase') return [event];
  const categories = [
    ...new Set(
      ((event.payload?.items as { category?: string }[] | undefined) ?? []).flatMap((i) =>
        i.category ? [i.category] : [],
      ),
    ),
  ];
  return categories.length > 1 ? categories.map((category) => ({ ...event, category })) : [event];
}

export interface RouterDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  logger: Logger;
  /** How long a brand's live plans are cached (publishing shows up after this). */
  cacheMs?: number;
}

export function createRouter(
  deps: RouterDeps,
): Route & { enter: EnterJourney; enterMany: EnterJourneys } {
  const { db, temporal, logger } = deps;
  const cache = new Map<string, { at: number; plans: LivePlan[] }>();
  // Published versions never change: their plans are cached without expiry.
  const versionPlans = new LRUCache<string, ExecutionPlan>({ max: 500 });

  async function planOf(versionId: string): Promise<ExecutionPlan | null> {
    const hit = versionPlans.get(versionId);
    if (hit) return hit;
    const [row] = await db
      .select({ plan: flowVersions.plan })
      .from(flowVersions)
      .where(eq(flowVersions.id, versionId));
    if (!row) return null;
    const plan = row.plan as unknown as ExecutionPlan;
    versionPlans.set(versionId, plan);
    return plan;
  }

  async function livePlans(brandId: string): Promise<LivePlan[]> {
    const hit = cache.get(brandId);
    if (hit && Date.now() - hit.at < (deps.cacheMs ?? 2_000)) return hit.plans;
    const rows = await db
      .select({ flowId: flows.id, versionId: flowVersions.id, plan: flowVersions.plan })
      .from(flows)
      .innerJoin(flowVersions, eq(flowVersions.id, flows.liveVersionId))
      .where(and(eq(flows.brandId, brandId), eq(flows.status, 'live')));
    const plans = rows.map((r) => ({ ...r, plan: r.plan as unknown as ExecutionPlan }));
    cache.set(brandId, { at: Date.now(), plans });
    return plans;
  }

  /**
   * Starts (or finds) the journey of this entry; returns its workflow id, or null when re-entry
   * forbids it (or it runs already). One follower of `enterMany`.
   */
  async function enter(args: Parameters<EnterJourney>[0]): Promise<string | null> {
    const { followerId, openid, ...rest } = args;
    const [started] = await enterMany({
      ...rest,
      followers: [{ followerId, openid }],
      concurrency: 1,
    });
    return started ?? null;
  }

  /** Starts the workflow of a journey row; false when it runs already (a replay). */
  async function startJourney(
    args: Omit<Parameters<EnterJourney>[0], 'followerId' | 'openid'> & {
      followerId: string;
      openid: string;
    },
    journeyId: string,
    workflowId: string,
  ): Promise<boolean> {
    const { live } = args;
    const input: JourneyInput = {
      context: {
        journeyId,
        workflowId,
        brandId: args.brandId,
        flowId: live.flowId,
        versionId: live.versionId,
        followerId: args.followerId,
        openid: args.openid,
        enteredAt: args.event.occurredAt,
        event: args.event,
      },
      plan: live.plan,
      entryNodeId: args.entryNodeId,
    };
    try {
      await temporal.workflow.start(journey, {
        taskQueue: deps.taskQueue,
        workflowId,
        args: [input],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      // A replay found the journey running already: nobody entered now.
      return false;
    }
    return true;
  }

  /** The counters a new journey adds (services/analytics/counters.ts): itself, and its trigger. */
  const enteredBumps = (entryNodeId: string, n: number) => [
    { nodeId: JOURNEY_NODE, metric: 'entered', n },
    { nodeId: JOURNEY_NODE, metric: 'active', n },
    { nodeId: entryNodeId, metric: 'entered', n },
    { nodeId: entryNodeId, metric: 'completed', n },
    { nodeId: entryNodeId, metric: 'port:next', n },
  ];

  /**
   * Enters followers by one entering event (one follower from an event, a date sweep's page):
   * the re-entry check, the `journeys` rows and their counters in one statement each, then the
   * starts, `concurrency` at a time. Re-entry: `once` keys the row 'once', otherwise the event's
   * id; `after_exit` skips a follower with another journey of the flow still active; a row that
   * exists already is started again only while it is active under this entry's workflow id (a
   * replay after a crash), never a finished one. The workflow ids started.
   */
  async function enterMany(args: Parameters<EnterJourneys>[0]): Promise<string[]> {
    const { live } = args;
    const reentry = live.plan.settings.reentry;
    const entryKey = reentry === 'once' ? 'once' : args.event.id;
    let candidates = args.followers;
    if (candidates.length === 0) return [];
    if (reentry === 'after_exit') {
      const running = await db
        .select({ followerId: journeys.followerId })
        .from(journeys)
        .where(
          and(
            eq(journeys.flowId, live.flowId),
            inArray(
              journeys.followerId,
              candidates.map((f) => f.followerId),
            ),
            eq(journeys.status, 'active'),
            ne(journeys.entryKey, entryKey),
          ),
        );
      const busy = new Set(running.map((r) => r.followerId));
      candidates = candidates.filter((f) => !busy.has(f.followerId));
      if (candidates.length === 0) return [];
    }
    const workflowIdOf = (followerId: string) => `journey:${live.flowId}:${followerId}:${entryKey}`;
    const goal = live.plan.settings.goal;
    const goalUntil = goal ? new Date(Date.parse(args.event.occurredAt) + goal.withinMs) : null;
    const inserted = await db.transaction(async (tx) => {
      const rows = await tx
        .insert(journeys)
        .values(
          candidates.map((f) => ({
            brandId: args.brandId,
            flowId: live.flowId,
            flowVersionId: live.versionId,
            followerId: f.followerId,
            workflowId: workflowIdOf(f.followerId),
            entryKey,
            currentStep: args.entryNodeId,
            goalUntil,
          })),
        )
        .onConflictDoNothing({ target: [journeys.flowId, journeys.followerId, journeys.entryKey] })
        .returning({ id: journeys.id, followerId: journeys.followerId });
      if (rows.length > 0)
        await bumpFlow(
          tx,
          { brandId: args.brandId, flowId: live.flowId, versionId: live.versionId },
          enteredBumps(args.entryNodeId, rows.length),
        );
      return rows;
    });
    const rowOf = new Map(inserted.map((r) => [r.followerId, r.id]));
    const others = candidates.filter((f) => !rowOf.has(f.followerId));
    if (others.length > 0) {
      // Entered before: still active with this entry's workflow means a replay — make sure it runs.
      const existing = await db
        .select({
          id: journeys.id,
          followerId: journeys.followerId,
          status: journeys.status,
          workflowId: journeys.workflowId,
        })
        .from(journeys)
        .where(
          and(
            eq(journeys.flowId, live.flowId),
            inArray(
              journeys.followerId,
              others.map((f) => f.followerId),
            ),
            eq(journeys.entryKey, entryKey),
          ),
        );
      for (const row of existing)
        if (row.status === 'active' && row.workflowId === workflowIdOf(row.followerId!))
          rowOf.set(row.followerId!, row.id);
    }
    const toStart = candidates.filter((f) => rowOf.has(f.followerId));
    const started: string[] = [];
    for (let i = 0; i < toStart.length; i += args.concurrency) {
      const batch = toStart.slice(i, i + args.concurrency);
      const results = await Promise.all(
        batch.map((f) =>
          startJourney({ ...args, ...f }, rowOf.get(f.followerId)!, workflowIdOf(f.followerId)),
        ),
      );
      batch.forEach((f, k) => {
        if (results[k]) started.push(workflowIdOf(f.followerId));
      });
    }
    return started;
  }

  /** Signals every running journey of a flow (a journey that has just ended is skipped). */
  async function signalFlowJourneys(
    flowId: string,
    send: (handle: ReturnType<Client['workflow']['getHandle']>) => Promise<void>,
  ): Promise<void> {
    const running = await db
      .select({ workflowId: journeys.workflowId })
      .from(journeys)
      .where(and(eq(journeys.flowId, flowId), eq(journeys.status, 'active')));
    for (const { workflowId } of running) {
      await send(temporal.workflow.getHandle(workflowId)).catch((error: unknown) => {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      });
    }
  }

  /** trigger.location's cooldown: did this follower enter the flow that recently? */
  async function enteredWithin(flowId: string, followerId: string, ms: number): Promise<boolean> {
    const [recent] = await db
      .select({ id: journeys.id })
      .from(journeys)
      .where(
        and(
          eq(journeys.flowId, flowId),
          eq(journeys.followerId, followerId),
          sql`${journeys.enteredAt} > now() - ${ms} * interval '1 millisecond'`,
        ),
      )
      .limit(1);
    return recent !== undefined;
  }

  /**
   * A goal reached after its journey ended (within `within` of entry) is still the journey's
   * conversion (docs/product.md#runtime-semantics); the journey is not restarted.
   */
  async function convertEnded(
    event: StoredEvent,
    journeyEvent: JourneyEvent,
    factsOf: (e: JourneyEvent) => Promise<Facts | null>,
  ): Promise<void> {
    if (journeyEvent.type === 'unfollow') return;
    const ended = await db
      .select({
        id: journeys.id,
        versionId: journeys.flowVersionId,
        entryKey: journeys.entryKey,
        enteredAt: journeys.enteredAt,
      })
      .from(journeys)
      .where(
        and(
          eq(journeys.followerId, event.followerId!),
          ne(journeys.status, 'active'),
          isNull(journeys.convertedAt),
          gte(journeys.goalUntil, event.occurredAt),
        ),
      );
    for (const j of ended) {
      // Only what happened after the entry: never the entering event itself, replayed.
      const after = /^\d+$/.test(j.entryKey)
        ? event.id > BigInt(j.entryKey)
        : event.receivedAt > j.enteredAt;
      const goal = after ? (await planOf(j.versionId))?.settings.goal : null;
      if (!goal) continue;
      for (const candidate of variants(journeyEvent)) {
        const facts = await factsOf(candidate);
        if (!facts || !(await matchesEvent(goal.event, candidate, facts, Date.now()))) continue;
        const conversion = { eventId: journeyEvent.id, occurredAt: journeyEvent.occurredAt };
        if (await markConverted(db, j.id, conversion))
          logger.debug({ journeyId: j.id, event: journeyEvent.id }, 'converted after the end');
        break;
      }
    }
  }

  async function route(event: StoredEvent): Promise<void> {
    // Archiving a flow ends its journeys wherever they wait (docs/product.md#pausing-and-archiving).
    if (event.type === FLOW_ARCHIVED)
      return signalFlowJourneys(String(event.payload.flowId), (h) =>
        h.signal(exitSignal, 'archived'),
      );
    // Resuming it sends the pushes its pause held now, not at their next look.
    if (event.type === FLOW_RESUMED)
      return signalFlowJourneys(String(event.payload.flowId), (h) => h.signal(flowResumedSignal));
    if (!event.followerId) return;
    const journeyEvent = journeyEventOf(event);
    if (journeyEvent === 'invalid') {
      logger.error(
        { eventId: String(event.id), type: event.type, name: event.name },
        'a stored event does not fit the event contract (engine/events.ts); not routed',
      );
      return;
    }
    if (!journeyEvent) return;
    const followerId = event.followerId;

    // The follower's facts, read once and only when a rule needs them.
    let record: Promise<FollowerRecord | null> | undefined;
    const factsOf = async (candidate: JourneyEvent): Promise<Facts | null> => {
      const follower = await (record ??= loadFollowerRecord(db, followerId));
      return follower ? buildFacts({ follower, event: candidate }) : null;
    };

    // Running journeys hear the events of their follower that their plan listens for (an
    // unfollow, the types of its exits, goal and event waits: planHears); waits, exits and
    // goals decide. Any other event would be a signal and a workflow task for nothing.
    const running = await db
      .select({ workflowId: journeys.workflowId, versionId: journeys.flowVersionId })
      .from(journeys)
      .where(and(eq(journeys.followerId, followerId), eq(journeys.status, 'active')));
    for (const { workflowId, versionId } of running) {
      const plan = await planOf(versionId);
      if (plan && !planHears(plan, journeyEvent.type)) continue;
      let heard = journeyEvent;
      if (journeyEvent.type === 'custom') {
        const facts = await factsOf(journeyEvent);
        const whereHolds =
          plan && facts ? await whereVerdicts(plan, journeyEvent, facts, Date.now()) : [];
        heard = { ...journeyEvent, whereHolds };
      }
      await temporal.workflow
        .getHandle(workflowId)
        .signal(eventSignal, heard)
        .catch((error: unknown) => {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
        });
    }
    // After the signals: a journey that finished meanwhile is found ended here.
    await convertEnded(event, journeyEvent, factsOf);

    const plans = (await livePlans(event.brandId)).filter(
      (p) => p.plan.triggers.events[journeyEvent.type]?.length,
    );
    if (plans.length === 0) return;
    const [followerRow] = await db
      .select({ openid: followers.openid })
      .from(followers)
      .where(eq(followers.id, followerId));
    if (!followerRow) return;
    const now = Date.now();
    for (const live of plans) {
      const entered = new Set<string>();
      for (const candidate of variants(journeyEvent)) {
        const facts = await factsOf(candidate);
        if (!facts) return;
        for (const entry of await findEntries(live.plan, candidate, facts, now)) {
          if (entry.cooldownMs && (await enteredWithin(live.flowId, followerId, entry.cooldownMs)))
            continue;
          entered.add(entry.nodeId);
        }
      }
      const [entryNodeId] = [...entered].sort();
      if (!entryNodeId) continue;
      const workflowId = await enter({
        live,
        brandId: event.brandId,
        followerId,
        openid: followerRow.openid,
        entryNodeId,
        event: journeyEvent,
      });
      if (workflowId) logger.debug({ workflowId, event: String(event.id) }, 'journey entered');
    }
  }

  return Object.assign(route, { enter, enterMany });
}
