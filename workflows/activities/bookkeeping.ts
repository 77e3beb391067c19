/**
 * What analytics and the follower timeline read: journey status, the current step, and one
 * journey_steps row per step visit (keyed, so retries update rather than add).
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import type { Tx } from '../../db/events';
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
    }): Promise<void> {
      await db
        .update(journeys)
        .set({ status: input.status, exitReason: input.reason, endedAt: sql`now()` })
        .where(sql`${journeys.id} = ${input.context.journeyId} and ${journeys.status} = 'active'`);
    },
  };
}
