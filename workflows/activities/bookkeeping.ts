/**
 * What analytics and the follower timeline read: journey status, the current step, and one
 * journey_steps row per step visit (keyed, so retries update rather than add).
 */
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import type { ExecutionPlan, PlanStep } from '../../engine/plan';
import type { Tx } from '../../services/events/outbox';
import {
  bumpFlow,
  convertJourney,
  JOURNEY_NODE,
  type Bump,
} from '../../services/analytics/counters';
import { flowVersions, journeySteps, journeys } from '../../db/schema';
import { stepKey, type JourneyContext, type JourneyStatus, type StepRef } from '../journey-types';

export type StepStatus = 'entered' | 'completed' | 'failed' | 'skipped';

/** Published plans never change: each version's steps are read once per process. */
const plans = new Map<string, ExecutionPlan['steps']>();
async function stepsOf(tx: Tx, versionId: string): Promise<ExecutionPlan['steps']> {
  const hit = plans.get(versionId);
  if (hit) return hit;
  const [row] = await tx
    .select({ plan: flowVersions.plan })
    .from(flowVersions)
    .where(eq(flowVersions.id, versionId));
  const steps = ((row?.plan as unknown as ExecutionPlan | undefined)?.steps ?? {}) as Record<
    string,
    PlanStep
  >;
  if (plans.size > 1_000) plans.clear();
  plans.set(versionId, steps);
  return steps;
}

/** The port of `from` that leads to `to` (a wait's `matched` / `timeout`, …). */
function portTo(step: PlanStep | undefined, to: string | null): string | null {
  if (!step) return null;
  const ports = Object.entries(step.next).filter(([, next]) => next === to);
  return ports.length === 1 ? ports[0]![0] : (ports.find(([p]) => p === 'next')?.[0] ?? null);
}

/** What a step's record going from `prev` (null: new) to `next` adds to the node's counters. */
function stepBumps(
  nodeId: string,
  prev: StepStatus | null,
  next: StepStatus,
  port: string | null,
  continuesAfterFailure = false,
): Bump[] {
  if (prev === next || (prev !== null && prev !== 'entered')) return [];
  const bumps: Bump[] = [];
  if (prev === null) bumps.push({ nodeId, metric: 'entered', n: 1 });
  else bumps.push({ nodeId, metric: 'waiting', n: -1 });
  if (next === 'entered') bumps.push({ nodeId, metric: 'waiting', n: 1 });
  else if (next === 'failed') {
    bumps.push({ nodeId, metric: 'failed', n: 1 });
    // A push that failed to deliver does not stop the journey: it leaves by its port.
    if (port && continuesAfterFailure) bumps.push({ nodeId, metric: `port:${port}`, n: 1 });
  } else {
    bumps.push({ nodeId, metric: 'completed', n: 1 });
    if (port) bumps.push({ nodeId, metric: `port:${port}`, n: 1 });
  }
  return bumps;
}

const flowRef = (c: JourneyContext) => ({
  brandId: c.brandId,
  flowId: c.flowId,
  versionId: c.versionId,
});

/**
 * Records a step visit (one row per step key: a retry updates it) and adds to the flow's
 * counters (services/analytics/counters.ts) only what changed: a new row counts as entered, a
 * row leaving `entered` stops waiting. A new step also closes the step the journey waited at
 * before (a wait's row is only written on arrival): completed, through the port leading here.
 */
export async function writeStep(
  tx: Tx,
  ref: StepRef,
  status: StepStatus,
  details: { reason?: string | null; output?: Record<string, unknown> | null } = {},
): Promise<void> {
  await (tx as Db).transaction(async (t) => {
    const done = status !== 'entered';
    const key = stepKey(ref);
    const steps = await stepsOf(t, ref.context.versionId);
    const outPort = details.output?.port;
    const port =
      typeof outPort === 'string'
        ? outPort
        : steps[ref.stepId] && 'next' in steps[ref.stepId]!.next
          ? 'next'
          : null;
    const bumps: Bump[] = [];
    const [inserted] = await t
      .insert(journeySteps)
      .values({
        journeyId: ref.context.journeyId,
        nodeId: ref.stepId,
        stepKey: key,
        kind: ref.kind,
        status,
        reason: details.reason ?? null,
        output: details.output ?? null,
        ...(done ? { completedAt: sql`now()` } : {}),
      })
      .onConflictDoNothing({ target: journeySteps.stepKey })
      .returning({ id: journeySteps.id });
    if (inserted) {
      bumps.push(...stepBumps(ref.stepId, null, status, port, ref.kind === 'action.push'));
      // The journey moved on from where it waited.
      const open = await t
        .select({ id: journeySteps.id, nodeId: journeySteps.nodeId, output: journeySteps.output })
        .from(journeySteps)
        .where(
          and(
            eq(journeySteps.journeyId, ref.context.journeyId),
            eq(journeySteps.status, 'entered'),
            ne(journeySteps.stepKey, key),
          ),
        )
        .for('update');
      for (const row of open) {
        const left = portTo(steps[row.nodeId], ref.stepId);
        const [closed] = await t
          .update(journeySteps)
          .set({
            status: 'completed',
            completedAt: sql`now()`,
            output: { ...(row.output ?? {}), ...(left ? { port: left } : {}) },
          })
          .where(and(eq(journeySteps.id, row.id), eq(journeySteps.status, 'entered')))
          .returning({ id: journeySteps.id });
        if (closed) bumps.push(...stepBumps(row.nodeId, 'entered', 'completed', left));
      }
    } else {
      const [prev] = await t
        .select({ status: journeySteps.status })
        .from(journeySteps)
        .where(eq(journeySteps.stepKey, key))
        .for('update');
      await t
        .update(journeySteps)
        .set({
          status,
          reason: details.reason ?? null,
          output: details.output ?? null,
          completedAt: done ? sql`now()` : null,
        })
        .where(eq(journeySteps.stepKey, key));
      bumps.push(
        ...stepBumps(ref.stepId, prev?.status ?? null, status, port, ref.kind === 'action.push'),
      );
    }
    await t
      .update(journeys)
      .set({ currentStep: ref.stepId })
      .where(sql`${journeys.id} = ${ref.context.journeyId} and ${journeys.status} = 'active'`);
    await bumpFlow(t, flowRef(ref.context), bumps);
  });
}

/** The goal event a conversion is attributed to. */
export interface Conversion {
  eventId: string;
  occurredAt: string;
}

/**
 * Records a journey's conversion — once: the first goal event wins, whether the journey heard
 * it while running or the router matched it after the journey ended. True when recorded now
 * (and then counted for the flow and the follower's QR channel).
 */
export async function markConverted(tx: Tx, journeyId: string, c: Conversion): Promise<boolean> {
  return convertJourney(tx, journeyId, {
    eventId: c.eventId,
    occurredAt: new Date(c.occurredAt),
  });
}

/**
 * Ends the journey's record — once — and counts how it ended: at the journey level (a journey
 * that ended on its goal counts as completed; `converted` is counted with the conversion), and
 * at the step it was waiting at, if any (completed when the journey ran out of steps there,
 * exited otherwise).
 */
async function endJourney(
  tx: Tx,
  context: JourneyContext,
  status: JourneyStatus,
  reason: string | null,
): Promise<void> {
  const [ended] = await tx
    .update(journeys)
    .set({ status, exitReason: reason, endedAt: sql`now()` })
    .where(sql`${journeys.id} = ${context.journeyId} and ${journeys.status} = 'active'`)
    .returning({ id: journeys.id });
  if (!ended) return;
  const bumps: Bump[] = [
    { nodeId: JOURNEY_NODE, metric: 'active', n: -1 },
    { nodeId: JOURNEY_NODE, metric: status === 'converted' ? 'completed' : status, n: 1 },
  ];
  const open = await tx
    .select({ id: journeySteps.id, nodeId: journeySteps.nodeId, output: journeySteps.output })
    .from(journeySteps)
    .where(and(eq(journeySteps.journeyId, context.journeyId), eq(journeySteps.status, 'entered')));
  const steps = open.length ? await stepsOf(tx, context.versionId) : {};
  for (const row of open) {
    bumps.push({ nodeId: row.nodeId, metric: 'waiting', n: -1 });
    if (status === 'completed') {
      const left = portTo(steps[row.nodeId], null);
      await tx
        .update(journeySteps)
        .set({
          status: 'completed',
          completedAt: sql`now()`,
          output: { ...(row.output ?? {}), ...(left ? { port: left } : {}) },
        })
        .where(eq(journeySteps.id, row.id));
      bumps.push({ nodeId: row.nodeId, metric: 'completed', n: 1 });
      if (left) bumps.push({ nodeId: row.nodeId, metric: `port:${left}`, n: 1 });
    } else {
      bumps.push({ nodeId: row.nodeId, metric: status === 'failed' ? 'failed' : 'exited', n: 1 });
    }
  }
  await bumpFlow(tx, flowRef(context), bumps);
}

export function bookkeepingActivities({ db }: { db: Db }) {
  return {
    async recordStep(input: {
      ref: StepRef;
      status: StepStatus;
      reason?: string | null;
      output?: Record<string, unknown> | null;
    }): Promise<void> {
      await writeStep(db, input.ref, input.status, input);
    },

    async finishJourney(input: {
      context: JourneyContext;
      status: JourneyStatus;
      reason: string | null;
      /** The goal event, when the journey converted. */
      conversion?: Conversion | null;
    }): Promise<void> {
      await db.transaction(async (tx) => {
        await endJourney(tx, input.context, input.status, input.reason);
        if (input.conversion) await markConverted(tx, input.context.journeyId, input.conversion);
      });
    },

    /** A goal event the journey heard as it was ending: a conversion of the ended journey. */
    async recordConversion(input: {
      context: JourneyContext;
      conversion: Conversion;
    }): Promise<void> {
      await markConverted(db, input.context.journeyId, input.conversion);
    },
  };
}
