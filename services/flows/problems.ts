/**
 * What went wrong while a flow ran, for its marketer (the flows list and the flow page): the
 * latest sweep of a date or audience trigger that failed (workflows/activities/sweeps.ts), and
 * webhook steps refused because their address is inside a private network (last 7 days).
 */
import type postgres from 'postgres';

/** A problem recorded while a flow ran, as the flows list and the flow page show it. */
export interface FlowProblem {
  type: 'sweep' | 'webhook';
  nodeId: string;
  /** The step's kind and label (the name shown is its label, else its kind's name). */
  kind: string;
  label: string | null;
  /** sweep: a SweepFailure (db/schema.ts); webhook: the address category that was refused. */
  reason: string;
  /** The engine's own sentence, when it wrote one (a pattern it cannot run). */
  text: { en: string; 'zh-CN': string } | null;
  /** The database's error code, for support. */
  sqlstate: string | null;
  /** sweep: the local day swept (null for a broadcast). */
  day: string | null;
  /** When it last happened (ISO). */
  at: string | null;
  /** webhook: refusals in the last 7 days. */
  count: number;
  /** sweep: the next run tries again (the database was unavailable). */
  retrying: boolean;
  host?: string | null;
  address?: string | null;
}

interface StepNode {
  kind?: string;
  label?: string;
}

const stepOf = (node: StepNode | null, nodeId: string) => ({
  nodeId,
  kind: typeof node?.kind === 'string' ? node.kind : '',
  label: typeof node?.label === 'string' && node.label.trim() ? node.label.trim() : null,
});

// Timestamps arrive as Date or as text, depending on the parsers of the connection (drizzle
// installs its own): both are read with new Date().

/** The problems of each flow, by flow id (flows without problems are absent). */
export async function flowProblems(
  sql: postgres.Sql,
  flowIds: readonly string[],
): Promise<Map<string, FlowProblem[]>> {
  const out = new Map<string, FlowProblem[]>();
  if (flowIds.length === 0) return out;
  const ids = [...flowIds];
  const add = (flowId: string, problem: FlowProblem) => {
    const list = out.get(flowId) ?? [];
    list.push(problem);
    out.set(flowId, list);
  };

  // The latest sweep of each entry of the live version; a day that finished since clears it.
  const sweeps = await sql<
    {
      flowId: string;
      nodeId: string;
      node: StepNode | null;
      failure: string | null;
      detail: { text?: { en: string; 'zh-CN': string }; sqlstate?: string } | null;
      localDate: string;
      failedAt: Date | string | null;
      status: string;
    }[]
  >`
    select distinct on (f.id, s.node_id)
           f.id as "flowId", s.node_id as "nodeId", s.failure, s.failure_detail as detail,
           s.local_date as "localDate", s.failed_at as "failedAt", s.status,
           (select n from jsonb_array_elements(f.draft -> 'nodes') n
             where n ->> 'id' = s.node_id limit 1) as node
      from flows f
      join sweeps s on s.flow_version_id = f.live_version_id
     where f.id = any(${ids}::uuid[])
     order by f.id, s.node_id, s.started_at desc`;
  for (const row of sweeps) {
    if (!row.failure) continue;
    add(row.flowId, {
      type: 'sweep',
      ...stepOf(row.node, row.nodeId),
      reason: row.failure,
      text: row.detail?.text ?? null,
      sqlstate: row.detail?.sqlstate ?? null,
      day: row.localDate === 'once' ? null : row.localDate,
      at: row.failedAt ? new Date(row.failedAt).toISOString() : null,
      count: 1,
      retrying: row.status === 'running',
    });
  }

  const refused = await sql<
    {
      flowId: string;
      nodeId: string;
      node: StepNode | null;
      count: number;
      at: Date | string;
      output: { host?: string; address?: string; category?: string } | null;
    }[]
  >`
    select j.flow_id as "flowId", st.node_id as "nodeId", count(*)::int as count,
           max(st.completed_at) as at,
           (array_agg(st.output order by st.completed_at desc))[1] as output,
           (select n from flows f, jsonb_array_elements(f.draft -> 'nodes') n
             where f.id = j.flow_id and n ->> 'id' = st.node_id limit 1) as node
      from journeys j
      join journey_steps st on st.journey_id = j.id
     where j.flow_id = any(${ids}::uuid[])
       and j.status = 'failed' and j.exit_reason = 'E_WEBHOOK_REFUSED'
       and j.ended_at > now() - interval '7 days'
       and st.status = 'failed' and st.reason = 'webhook_refused'
     group by j.flow_id, st.node_id`;
  for (const row of refused) {
    add(row.flowId, {
      type: 'webhook',
      ...stepOf(row.node, row.nodeId),
      reason: row.output?.category ?? 'private',
      text: null,
      sqlstate: null,
      day: null,
      at: new Date(row.at).toISOString(),
      count: row.count,
      retrying: false,
      host: row.output?.host ?? null,
      address: row.output?.address ?? null,
    });
  }
  return out;
}
