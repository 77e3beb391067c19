/**
 * A mass send's job report (the MASSSENDJOBFINISH event WeChat pushes minutes after a
 * `mass/send`): stored on the send it belongs to, found by its msg_id. It comes from WeChat's
 * mass-send assistant, not a fan, so it makes no follower and no event.
 */
import { and, eq, sql } from 'drizzle-orm';
import { massSends } from '../../db/schema';
import type { RecordedEvent, Tx } from '../events/outbox';

export interface MassJobReport {
  msgId: string;
  status: string;
  totalCount: number;
  filterCount: number;
  sentCount: number;
  errorCount: number;
}

/** `duplicate` is always true: a report starts no journey. `id` is the send's, or '' when unknown. */
export async function recordMassJobReport(
  tx: Tx,
  brandId: string,
  job: MassJobReport,
): Promise<RecordedEvent> {
  const [row] = await tx
    .update(massSends)
    .set({
      status: 'finished',
      jobStatus: job.status,
      totalCount: job.totalCount,
      filterCount: job.filterCount,
      sentCount: job.sentCount,
      errorCount: job.errorCount,
      finishedAt: sql`now()`,
    })
    .where(and(eq(massSends.brandId, brandId), eq(massSends.msgId, job.msgId)))
    .returning({ id: massSends.id });
  return { id: row?.id ?? '', duplicate: true };
}
