/**
 * A flow's results, read from its counters (flow_stats, kept by services/analytics/counters.ts)
 * — one grouped read of at most (versions × nodes × metrics × days) rows, never a scan of
 * journeys or steps. Answers GET /api/v1/brands/:brand/flows/:flowId/stats and
 * `fanfare flow stats`.
 *
 * - version: a version number, `live`, or absent: every version of the flow together.
 * - from / to: days (YYYY-MM-DD, in the brand's time zone, both included): what happened on
 *   those days. `waiting` and `journeys.active` are always "now", whatever the range.
 */
import { and, asc, eq, gte, lte, sql } from 'drizzle-orm';
import type { ExecutionPlan } from '../../engine/plan';
import { flowStats, flowVersions, flows, qrChannelStats, qrChannels } from '../../db/schema';
import type { ServiceDeps } from '../deps';
import { JOURNEY_NODE } from './counters';

export interface NodeStats {
  entered: number;
  waiting: number;
  completed: number;
  exited: number;
  failed: number;
  ports: Record<string, number>;
  messages: { sent: number; failed: number; skipped: Record<string, number> };
}

export interface FlowStats {
  flowId: string;
  journeys: {
    entered: number;
    active: number;
    completed: number;
    exited: number;
    converted: number;
    failed: number;
  };
  nodes: Record<string, NodeStats>;
}

export interface StatsQuery {
  version?: string | null;
  from?: string | null;
  to?: string | null;
}

export type StatsResult =
  | { ok: true; stats: FlowStats; version: number | null }
  | { ok: false; status: 400 | 404; code: string; message: string };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function validDay(v: string): boolean {
  if (!DAY.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

const emptyNode = (ports: string[] = []): NodeStats => ({
  entered: 0,
  waiting: 0,
  completed: 0,
  exited: 0,
  failed: 0,
  ports: Object.fromEntries(ports.map((p) => [p, 0])),
  messages: { sent: 0, failed: 0, skipped: {} },
});

/** Checks the query's parameters; null when they are fine. */
function badQuery(q: StatsQuery): { code: string; message: string } | null {
  if (q.version != null && q.version !== 'live' && !/^[1-9]\d{0,8}$/.test(q.version))
    return {
      code: 'E_VERSION',
      message: `version must be a version number (1, 2, …) or "live" (got "${q.version}").`,
    };
  for (const [name, v] of [
    ['from', q.from],
    ['to', q.to],
  ] as const) {
    if (v != null && !validDay(v))
      return {
        code: 'E_DATE',
        message: `${name} must be a day written YYYY-MM-DD, in the brand's time zone (got "${v}").`,
      };
  }
  if (q.from && q.to && q.from > q.to)
    return { code: 'E_RANGE', message: `from (${q.from}) is after to (${q.to}).` };
  return null;
}

export function createFlowStats(deps: ServiceDeps) {
  const { db } = deps;
  return {
    /** The flow's counters, for the brand that owns it. */
    async read(brandId: string, flowId: string, q: StatsQuery = {}): Promise<StatsResult> {
      const bad = badQuery(q);
      if (bad) return { ok: false, status: 400, ...bad };
      const notFound = {
        ok: false,
        status: 404,
        code: 'E_NOT_FOUND',
        message: `This brand has no flow ${flowId}.`,
      } as const;
      if (!UUID.test(flowId)) return notFound;
      const [flow] = await db
        .select({ id: flows.id, liveVersionId: flows.liveVersionId })
        .from(flows)
        .where(and(eq(flows.id, flowId), eq(flows.brandId, brandId)));
      if (!flow) return notFound;
      const versions = await db
        .select({ id: flowVersions.id, version: flowVersions.version, plan: flowVersions.plan })
        .from(flowVersions)
        .where(eq(flowVersions.flowId, flowId))
        .orderBy(asc(flowVersions.version));
      const chosen =
        q.version == null
          ? null
          : q.version === 'live'
            ? versions.find((v) => v.id === flow.liveVersionId)
            : versions.find((v) => v.version === Number(q.version));
      if (q.version != null && !chosen)
        return {
          ok: false,
          status: 404,
          code: 'E_NO_VERSION',
          message:
            q.version === 'live'
              ? 'This flow has no live version.'
              : `This flow has no version ${q.version}.`,
        };

      const inRange = sql.join(
        [
          sql`true`,
          ...(q.from ? [sql`${flowStats.day} >= ${q.from}`] : []),
          ...(q.to ? [sql`${flowStats.day} <= ${q.to}`] : []),
        ],
        sql` and `,
      );
      const rows = await db
        .select({
          nodeId: flowStats.nodeId,
          metric: flowStats.metric,
          n: sql<string>`coalesce(sum(${flowStats.n}) filter (where ${flowStats.metric} in ('waiting', 'active') or (${inRange})), 0)`,
        })
        .from(flowStats)
        .where(
          and(
            eq(flowStats.flowId, flowId),
            chosen ? eq(flowStats.flowVersionId, chosen.id) : undefined,
          ),
        )
        .groupBy(flowStats.nodeId, flowStats.metric);

      // Every step of the version shown (the live one, or the latest) is listed, counted or not.
      const shape = chosen ?? versions.find((v) => v.id === flow.liveVersionId) ?? versions.at(-1);
      const nodes: Record<string, NodeStats> = {};
      const steps = (shape?.plan as unknown as ExecutionPlan | undefined)?.steps ?? {};
      for (const [id, step] of Object.entries(steps)) nodes[id] = emptyNode(Object.keys(step.next));

      const journeys = { entered: 0, active: 0, completed: 0, exited: 0, converted: 0, failed: 0 };
      for (const row of rows) {
        const n = Number(row.n);
        if (row.nodeId === JOURNEY_NODE) {
          if (row.metric in journeys) journeys[row.metric as keyof typeof journeys] += n;
          continue;
        }
        const node = (nodes[row.nodeId] ??= emptyNode());
        const [kind, name] = splitMetric(row.metric);
        if (kind === 'port') node.ports[name] = (node.ports[name] ?? 0) + n;
        else if (kind === 'skip')
          node.messages.skipped[name] = (node.messages.skipped[name] ?? 0) + n;
        else if (kind === 'msg' && (name === 'sent' || name === 'failed')) node.messages[name] += n;
        else if (
          row.metric === 'entered' ||
          row.metric === 'waiting' ||
          row.metric === 'completed' ||
          row.metric === 'exited' ||
          row.metric === 'failed'
        )
          node[row.metric] += n;
      }
      return {
        ok: true,
        stats: { flowId, journeys, nodes },
        version: chosen?.version ?? null,
      };
    },
  };
}

function splitMetric(metric: string): [string, string] {
  const i = metric.indexOf(':');
  return i < 0 ? ['', metric] : [metric.slice(0, i), metric.slice(i + 1)];
}

export type FlowStatsService = ReturnType<typeof createFlowStats>;

export interface ChannelStats {
  channels: Record<string, { converted: number; couponsRedeemed: number }>;
}

/**
 * What each QR channel earned (qr_channel_stats): conversions of its fans' journeys and their
 * coupon redemptions, credited to the channel the fan came by. Every channel of the brand is
 * listed; from / to as for a flow.
 */
export function createChannelStats(deps: ServiceDeps) {
  const { db } = deps;
  return {
    async read(
      brandId: string,
      q: Pick<StatsQuery, 'from' | 'to'> = {},
    ): Promise<
      { ok: true; stats: ChannelStats } | { ok: false; status: 400; code: string; message: string }
    > {
      const bad = badQuery(q);
      if (bad) return { ok: false, status: 400, ...bad };
      const rows = await db
        .select({
          scene: qrChannelStats.scene,
          metric: qrChannelStats.metric,
          n: sql<string>`sum(${qrChannelStats.n})`,
        })
        .from(qrChannelStats)
        .where(
          and(
            eq(qrChannelStats.brandId, brandId),
            q.from ? gte(qrChannelStats.day, q.from) : undefined,
            q.to ? lte(qrChannelStats.day, q.to) : undefined,
          ),
        )
        .groupBy(qrChannelStats.scene, qrChannelStats.metric);
      const known = await db
        .select({ scene: qrChannels.scene })
        .from(qrChannels)
        .where(eq(qrChannels.brandId, brandId));
      const channels: ChannelStats['channels'] = {};
      for (const { scene } of known) channels[scene] = { converted: 0, couponsRedeemed: 0 };
      for (const row of rows) {
        const c = (channels[row.scene] ??= { converted: 0, couponsRedeemed: 0 });
        if (row.metric === 'converted') c.converted += Number(row.n);
        if (row.metric === 'coupon_redeemed') c.couponsRedeemed += Number(row.n);
      }
      return { ok: true, stats: { channels } };
    },
  };
}
