/**
 * Date triggers: which live date entries are due now, and one page of followers at a time
 * entered into their journeys. Entry keys are derived from the day (the year, for birthdays),
 * so re-running a day — a retried page, a replayed sweep — starts nothing twice. Progress is
 * kept in the `sweeps` table.
 *
 * One flow cannot hold the others back: a page that fails because of the flow itself (rules
 * that cannot run, a query the database refuses or cuts off) is recorded against that entry
 * and day — shown to the flow's marketer — and the sweep moves on; only an unreachable database
 * is left to Temporal's (bounded) retries.
 */
import { ApplicationFailure, log } from '@temporalio/activity';
import { safeError } from '../../config/logger';
import { and, eq, ne, sql, type SQL } from 'drizzle-orm';
import { AudienceSqlError, compileAudienceSql } from '../../engine/audience-sql';
import type { BroadcastEntry, DateEntry, ExecutionPlan } from '../../engine/plan';
import { localDate, parseDateTimeIn, wallTime } from '../../engine/time';
import { isDatabaseUnavailable, type Db } from '../../db/client';
import {
  flowVersions,
  flows,
  sweeps,
  type SweepFailure,
  type SweepFailureDetail,
} from '../../db/schema';
import { SWEEP_RETRY, type EnterJourneys, type JourneyEvent } from '../journey-types';

export interface DueEntry {
  brandId: string;
  flowId: string;
  versionId: string;
  nodeId: string;
  localDate: string;
  timezone: string;
  entry: DateEntry | BroadcastEntry;
}

/** Broadcasts run once: their progress row is keyed by this instead of a day. */
const ONCE = 'once';

const PAGE = 500;
export const ENTER_CONCURRENCY = 16;
/** A page's query may not run longer: a heavy pattern or audience fails its own flow only. */
export const SWEEP_QUERY_TIMEOUT_MS = 60_000;

/** Why a page failed, as stored against its entry. */
export interface SweepFailureRecord {
  failure: SweepFailure;
  detail: SweepFailureDetail;
}

/** SQLSTATE of a database error, looking through drizzle's wrapping. */
function sqlstate(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * What a page's failure says about the flow, or null when it says nothing about it. Anything
 * the flow's own rules or query caused — rules SQL cannot express, a data or syntax error
 * (SQLSTATE 22, 42), a program limit (54), the statement timeout (57014) — fails the same way
 * on every retry: the day is recorded as failed. Anything else (the database or Temporal
 * unreachable, a bug) is retried, and recorded, but the day stays due.
 */
export function classifySweepError(error: unknown): SweepFailureRecord | null {
  if (isDatabaseUnavailable(error)) return null;
  if (error instanceof AudienceSqlError)
    return { failure: 'invalid_rules', detail: error.text ? { text: error.text } : {} };
  const state = sqlstate(error);
  if (state === '57014') return { failure: 'timed_out', detail: { sqlstate: state } };
  if (state && /^(22|42|54)/.test(state))
    return { failure: 'query_failed', detail: { sqlstate: state } };
  return null;
}

/** Temporal's client could not reach the server (starting a journey). */
function isTemporalUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; depth++) {
    const { name, code } = e as { name?: unknown; code?: unknown };
    // gRPC UNAVAILABLE (14) and DEADLINE_EXCEEDED (4)
    if (name === 'ConnectionError' || code === 14 || code === 4) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Add days to a YYYY-MM-DD date. */
function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function sweepActivities(deps: { db: Db; enterMany?: EnterJourneys }) {
  const { db } = deps;

  async function livePlan(flowId: string, versionId: string): Promise<ExecutionPlan | null> {
    const [row] = await db
      .select({ plan: flowVersions.plan })
      .from(flows)
      .innerJoin(flowVersions, eq(flowVersions.id, flows.liveVersionId))
      .where(and(eq(flows.id, flowId), eq(flows.status, 'live'), eq(flowVersions.id, versionId)));
    return (row?.plan as unknown as ExecutionPlan) ?? null;
  }

  return {
    /** Date entries of live flows whose time of day has come in their zone and that today's sweep has not finished. */
    async dueDateEntries(input: { brandId?: string; now: number }): Promise<DueEntry[]> {
      const rows = await db
        .select({
          brandId: flows.brandId,
          flowId: flows.id,
          versionId: flowVersions.id,
          plan: flowVersions.plan,
        })
        .from(flows)
        .innerJoin(flowVersions, eq(flowVersions.id, flows.liveVersionId))
        .where(
          and(
            eq(flows.status, 'live'),
            input.brandId ? eq(flows.brandId, input.brandId) : sql`true`,
          ),
        );
      const due: DueEntry[] = [];
      /** Due unless its progress row for that day (or 'once') says done. */
      const consider = async (
        row: (typeof rows)[number],
        timezone: string,
        entry: DateEntry | BroadcastEntry,
        day: string,
      ) => {
        const [progress] = await db
          .select({ status: sweeps.status })
          .from(sweeps)
          .where(
            and(
              eq(sweeps.flowVersionId, row.versionId),
              eq(sweeps.nodeId, entry.nodeId),
              eq(sweeps.localDate, day),
            ),
          );
        // Done, or failed because of the flow itself: nothing to do until a new version.
        if (progress && progress.status !== 'running') return;
        due.push({
          brandId: row.brandId,
          flowId: row.flowId,
          versionId: row.versionId,
          nodeId: entry.nodeId,
          localDate: day,
          timezone,
          entry,
        });
      };
      for (const row of rows) {
        // One flow's broken plan (a version that skipped compile) must not hide the others.
        try {
          const plan = row.plan as unknown as ExecutionPlan;
          const timezone = plan.settings.timezone;
          const wall = wallTime(input.now, timezone);
          for (const entry of plan.triggers.dates) {
            if (wall.hour * 60 + wall.minute < entry.atMinutes) continue;
            await consider(row, timezone, entry, localDate(input.now, timezone));
          }
          for (const entry of plan.triggers.broadcasts) {
            if (parseDateTimeIn(entry.at, timezone) > input.now) continue;
            await consider(row, timezone, entry, ONCE);
          }
        } catch (error) {
          if (isDatabaseUnavailable(error)) throw error;
          log.error('date entries of a flow could not be read', {
            flowId: row.flowId,
            versionId: row.versionId,
            err: safeError(error),
          });
        }
      }
      return due;
    },

    /**
     * Enters one page of matching followers; returns the next cursor, or null when the day is
     * done — or when the entry failed because of the flow itself (`failed` says why; recorded).
     */
    async sweepPage(input: {
      due: DueEntry;
      cursor: string | null;
    }): Promise<{ entered: number; cursor: string | null; failed?: SweepFailure }> {
      const { due } = input;
      if (!deps.enterMany) throw new Error('sweepPage needs a Temporal client to start journeys');
      await db
        .insert(sweeps)
        .values({
          brandId: due.brandId,
          flowVersionId: due.versionId,
          nodeId: due.nodeId,
          localDate: due.localDate,
        })
        .onConflictDoNothing();
      try {
        return await enterPage(due, input.cursor);
      } catch (error) {
        const record = classifySweepError(error);
        if (!record) {
          const unavailable = isDatabaseUnavailable(error) || isTemporalUnavailable(error);
          const safe = safeError(error);
          throw ApplicationFailure.create({
            message: typeof safe === 'string' ? safe : safe.message,
            type: unavailable ? SWEEP_RETRY.unavailable : SWEEP_RETRY.internal,
            cause: error instanceof Error ? error : undefined,
          });
        }
        await writeFailure(db, due, record, 'failed');
        log.warn('a sweep entry failed and was recorded against its flow', {
          brandId: due.brandId,
          flowId: due.flowId,
          versionId: due.versionId,
          nodeId: due.nodeId,
          localDate: due.localDate,
          failure: record.failure,
          sqlstate: record.detail.sqlstate,
        });
        return { entered: 0, cursor: null, failed: record.failure };
      }
    },

    /**
     * The sweep gave up on an entry after its retries (the database or Temporal unreachable, or
     * a bug): say so on the entry; the next run tries the day again.
     */
    async recordSweepFailure(input: { due: DueEntry; failure: SweepFailure }): Promise<void> {
      await writeFailure(db, input.due, { failure: input.failure, detail: {} }, 'running');
    },
  };

  async function enterPage(
    due: DueEntry,
    cursor: string | null,
  ): Promise<{ entered: number; cursor: string | null }> {
    const plan = await livePlan(due.flowId, due.versionId);
    const after = cursor ?? '00000000-0000-0000-0000-000000000000';
    const rows = plan
      ? await db.transaction(async (tx) => {
          await tx.execute(sql.raw(`set local statement_timeout = ${SWEEP_QUERY_TIMEOUT_MS}`));
          return matchingFollowers(tx, due, after);
        })
      : [];
    const event: JourneyEvent = {
      // The entry key: once a year for birthdays, once a day for repurchase reminders,
      // once for a broadcast.
      id: entryKeyOf(due),
      type: 'custom',
      name: due.entry.kind === 'date' ? due.entry.schedule : 'broadcast',
      occurredAt: new Date().toISOString(),
      payload: { localDate: due.localDate, nodeId: due.nodeId },
    };
    const live = { flowId: due.flowId, versionId: due.versionId, plan: plan! };
    // The page's re-entry check and journeys rows in a statement each, then the starts.
    const entered = (
      await deps.enterMany!({
        live,
        brandId: due.brandId,
        entryNodeId: due.nodeId,
        event,
        followers: rows.map((row) => ({ followerId: row.id, openid: row.openid })),
        concurrency: ENTER_CONCURRENCY,
      })
    ).length;
    const next = rows.length === PAGE ? rows[rows.length - 1]!.id : null;
    await db
      .update(sweeps)
      .set({
        matched: sql`${sweeps.matched} + ${rows.length}`,
        cursor: next,
        ...(next === null
          ? {
              status: 'done' as const,
              finishedAt: sql`now()`,
              failure: null,
              failureDetail: null,
              failedAt: null,
            }
          : {}),
      })
      .where(entryDay(due));
    return { entered, cursor: next };
  }
}

function entryDay(due: DueEntry): SQL {
  return and(
    eq(sweeps.flowVersionId, due.versionId),
    eq(sweeps.nodeId, due.nodeId),
    eq(sweeps.localDate, due.localDate),
  )!;
}

/** Records a failure on the entry's day; `failed` stops that day, `running` lets the next run retry. */
async function writeFailure(
  db: Db,
  due: DueEntry,
  record: SweepFailureRecord,
  status: 'failed' | 'running',
): Promise<void> {
  await db
    .update(sweeps)
    .set({
      status,
      failure: record.failure,
      failureDetail: record.detail,
      failedAt: sql`now()`,
    })
    // A day another attempt finished meanwhile stays done.
    .where(and(entryDay(due), ne(sweeps.status, 'done')));
}

/** A `$1`-style fragment as a drizzle SQL chunk, its values bound as parameters. */
function positional(text: string, params: unknown[]): SQL {
  const chunks = text.split(/(\$\d+)/).map((part) => {
    const n = /^\$(\d+)$/.exec(part);
    return n ? sql`${params[Number(n[1]) - 1]}` : sql.raw(part);
  });
  return sql.join(chunks, sql``);
}

function entryKeyOf(due: DueEntry): string {
  const entry = due.entry;
  if (entry.kind === 'broadcast') return `broadcast:${due.nodeId}`;
  return entry.schedule === 'birthday'
    ? `birthday:${due.localDate.slice(0, 4)}`
    : `repurchase:${due.localDate}`;
}

async function matchingFollowers(
  db: Pick<Db, 'execute'>,
  due: DueEntry,
  after: string,
): Promise<{ id: string; openid: string }[]> {
  const { entry } = due;
  if (entry.kind === 'broadcast') {
    // The audience rules as SQL (engine/audience-sql.ts), the same predicate the editor counts.
    const where = compileAudienceSql(entry.audience, { now: Date.now(), table: 'followers' });
    const rows = await db.execute<{ id: string; openid: string }>(sql`
      select id, openid from followers
      where brand_id = ${due.brandId} and subscribed and id > ${after} and (${positional(where.text, where.params)})
      order by id limit ${PAGE}`);
    return [...rows];
  }
  if (entry.schedule === 'birthday') {
    const target = addDays(due.localDate, entry.daysBefore).slice(5);
    // Born on 29 February: celebrated on the 28th in other years.
    const leap =
      new Date(
        Date.UTC(Number(addDays(due.localDate, entry.daysBefore).slice(0, 4)), 1, 29),
      ).getUTCMonth() === 1;
    const days = target === '02-28' && !leap ? ['02-28', '02-29'] : [target];
    const rows = await db.execute<{ id: string; openid: string }>(sql`
      select id, openid from followers
      where brand_id = ${due.brandId} and subscribed and birthday in ${days} and id > ${after}
      order by id limit ${PAGE}`);
    return [...rows];
  }
  // Repurchase due: last purchase (in the category) + the follower's own median interval
  // (else cycleDays) − daysBefore falls on this local date.
  const rows = await db.execute<{ id: string; openid: string }>(sql`
    with p as (
      select e.follower_id, e.occurred_at,
             lag(e.occurred_at) over (partition by e.follower_id order by e.occurred_at) as prev
      from events e
      where e.brand_id = ${due.brandId} and e.type = 'purchase' and e.follower_id is not null
        and (${entry.category ?? null}::text is null or exists (
          select 1 from jsonb_array_elements(coalesce(e.payload -> 'items', '[]'::jsonb)) i
          where i ->> 'category' = ${entry.category ?? null}::text))
    ), s as (
      select follower_id, max(occurred_at) as last_at,
             percentile_cont(0.5) within group (order by extract(epoch from occurred_at - prev) / 86400)
               filter (where prev is not null) as median_days
      from p group by follower_id
    )
    select f.id, f.openid from s join followers f on f.id = s.follower_id
    where f.subscribed and f.id > ${after}
      and (s.last_at at time zone ${due.timezone})::date
          + round(coalesce(s.median_days, ${entry.cycleDays ?? null}::float8))::int
          - ${entry.daysBefore}::int = ${due.localDate}::date
    order by f.id limit ${PAGE}`);
  return [...rows];
}
