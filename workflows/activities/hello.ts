import { ApplicationFailure } from '@temporalio/activity';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { brands, events } from '../../db/schema';

export function helloActivities({ db }: { db: Db }) {
  return {
    async recordHello(input: {
      brandId: string;
      greeting: string;
      dedupeKey: string;
    }): Promise<{ eventId: string }> {
      const [brand] = await db
        .select({ id: brands.id })
        .from(brands)
        .where(sql`${brands.id} = ${input.brandId}`);
      if (!brand) {
        throw ApplicationFailure.nonRetryable(`no brand ${input.brandId}`, 'E_UNKNOWN_BRAND');
      }
      // Insert once; a retry finds the first row by its dedupe key.
      const [inserted] = await db
        .insert(events)
        .values({
          brandId: input.brandId,
          type: 'custom',
          name: 'hello',
          dedupeKey: input.dedupeKey,
          payload: { greeting: input.greeting },
        })
        .onConflictDoNothing({ target: [events.brandId, events.dedupeKey] })
        .returning({ id: events.id });
      if (inserted) return { eventId: String(inserted.id) };
      const [existing] = await db
        .select({ id: events.id })
        .from(events)
        .where(
          sql`${events.brandId} = ${input.brandId} and ${events.dedupeKey} = ${input.dedupeKey}`,
        );
      return { eventId: String(existing!.id) };
    },
  };
}
