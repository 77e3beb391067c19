/**
 * A flow's status changes (pause, resume, archive), and what running journeys must hear about
 * them. That goes through the events outbox: the dispatcher's router turns `flow_archived` into
 * an exit signal for every journey of the flow, and `flow_resumed` into a signal that sends the
 * pushes a pause held at once — so the web app needs no Temporal connection and nothing is lost
 * while Temporal is down.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { recordAudit } from '../audit';
import type { Actor } from '../deps';
import type { Db } from '../../db/client';
import { recordEvent, type Tx } from '../events/outbox';
import { flows } from '../../db/schema';

export const FLOW_ARCHIVED = 'flow_archived';
export const FLOW_RESUMED = 'flow_resumed';

type FlowStatus = (typeof flows.status.enumValues)[number];

/** Which status each action moves a flow from, and to. */
export const FLOW_TRANSITIONS = {
  pause: { from: ['live'], to: 'paused' },
  resume: { from: ['paused'], to: 'live' },
  archive: { from: ['draft', 'live', 'paused'], to: 'archived' },
} as const satisfies Record<string, { from: readonly FlowStatus[]; to: FlowStatus }>;
export type FlowTransition = keyof typeof FLOW_TRANSITIONS;

/** The audit log's name for each action. */
const AUDITED = { pause: 'flow.paused', resume: 'flow.resumed', archive: 'flow.archived' } as const;

/**
 * Moves the flow and, in the same transaction, queues what its journeys must hear and records
 * who did it in the audit log. A compare-and-set: false when the flow is unknown or not in a status the action moves from
 * (a concurrent change makes this one fail instead of overwriting it).
 */
export async function transitionFlow(
  db: Db,
  brandId: string,
  flowId: string,
  action: FlowTransition,
  actor: Actor,
): Promise<boolean> {
  const rule = FLOW_TRANSITIONS[action];
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(flows)
      .set({ status: rule.to, updatedAt: sql`now()` })
      .where(
        and(
          eq(flows.id, flowId),
          eq(flows.brandId, brandId),
          inArray(flows.status, [...rule.from]),
        ),
      )
      .returning({ id: flows.id, name: flows.name });
    if (!row) return false;
    if (action === 'archive') await queueFlowArchived(tx, brandId, flowId);
    if (action === 'resume') await queueFlowResumed(tx, brandId, flowId);
    await recordAudit(tx, {
      actor,
      action: AUDITED[action],
      brandId,
      target: { type: 'flow', id: flowId },
      details: { flowName: row.name },
    });
    return true;
  });
}

/** Archives the flow (no new entries) and queues the end of its journeys. False when unknown or already archived. */
export function archiveFlow(
  db: Db,
  brandId: string,
  flowId: string,
  actor: Actor,
): Promise<boolean> {
  return transitionFlow(db, brandId, flowId, 'archive', actor);
}

/** Records the flow_archived event (in the caller's transaction) that ends its journeys. */
export async function queueFlowArchived(tx: Tx, brandId: string, flowId: string): Promise<void> {
  await recordEvent(tx, {
    brandId,
    type: FLOW_ARCHIVED,
    dedupeKey: `${FLOW_ARCHIVED}:${flowId}:${Date.now()}`,
    payload: { flowId },
  });
}

/** Records the flow_resumed event (in the caller's transaction) that releases held pushes. */
export async function queueFlowResumed(tx: Tx, brandId: string, flowId: string): Promise<void> {
  await recordEvent(tx, {
    brandId,
    type: FLOW_RESUMED,
    dedupeKey: `${FLOW_RESUMED}:${flowId}:${Date.now()}`,
    payload: { flowId },
  });
}
