/**
 * What analytics and the follower timeline read: journey status, the current step, and one
 * journey_steps row per step visit (keyed, so retries update rather than add).
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import type { Tx } from '../../services/events/outbox';
import { journeySteps, journeys } from '../../db/schema';
import { stepKey, type JourneyContext, type JourneyStatus, type StepRef } from '../journey-types';

export type StepStatus = 'entered' | 'completed' | 'failed' | 'skipped';

export async function writeStep(
  tx: Tx,
  ref: StepRef,
  status: StepStatus,
  details: { reason?: string | null; output?: Record<string, unknown> | null } = {},
): Promise<void> {
  const done = status !== 'entered';
  await tx
    .insert(journeySteps)
    .values({
      journeyId: ref.context.journeyId,
      nodeId: ref.stepId,
      stepKey: stepKey(ref),
      kind: ref.kind,
      status,
      reason: details.reason ?? null,
      output: details.output ?? null,
      ...(done ? { completedAt: sql`now()` } : {}),
    })
    .onConflictDoUpdate({
      target: journeySteps.stepKey,
      set: {
        status,
        reason: details.reason ?? null,
        output: details.output ?? null,
        completedAt: done ? sql`now()` : null,
      },
    });
  await tx
    .update(journeys)
    .set({ currentStep: ref.stepId })
    .where(sql`${journeys.id} = ${ref.context.journeyId} and ${journeys.status} = 'active'`);
}

/** The goal event a conversion is attributed to. */
export interface Conversion {
  eventId: string;
  occurredAt: string;
}

/**
 * Records a journey's conversion — once: the first goal event wins, whether the journey heard
 * it while running or the router matched it after the journey ended. True when recorded now.
 */
export async function markConverted(tx: Tx, journeyId: string, c: Conversion): Promise<boolean> {
  const rows = await tx
    .update(journeys)
    .set({
      convertedAt: new Date(c.occurredAt),
      conversionEventId: /^\d+$/.test(c.eventId) ? BigInt(c.eventId) : null,
    })
    .where(sql`${journeys.id} = ${journeyId} and ${journeys.convertedAt} is null`)
    .returning({ id: journeys.id });
  return rows.length > 0;
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
        await tx
          .update(journeys)
          .set({ status: input.status, exitReason: input.reason, endedAt: sql`now()` })
          .where(
            sql`${journeys.id} = ${input.context.journeyId} and ${journeys.status} = 'active'`,
          );
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
