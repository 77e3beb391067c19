/**
 * Flow status changes that running journeys must hear about go through the events outbox:
 * the dispatcher's router turns `flow_archived` into an exit signal for every journey of the
 * flow, so the web app needs no Temporal connection and nothing is lost while Temporal is down.
 */
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db } from './client';
import { recordEvent, type Tx } from './events';
import { flows } from './schema';

export const FLOW_ARCHIVED = 'flow_archived';

/** Archives the flow (no new entries) and queues the end of its journeys. False when unknown or already archived. */
export async function archiveFlow(db: Db, brandId: string, flowId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(flows)
      .set({ status: 'archived', updatedAt: sql`now()` })
      .where(and(eq(flows.id, flowId), eq(flows.brandId, brandId), ne(flows.status, 'archived')))
      .returning({ id: flows.id });
    if (!row) return false;
    await queueFlowArchived(tx, brandId, flowId);
    return true;
  });
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
