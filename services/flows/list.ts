/**
 * The flows list (a brand's home page): its flows with their journeys and problems, and the
 * list's actions — create, duplicate, pause, resume, archive. The brand is the one
 * `requireMember` resolved (its id); another brand's flow id is the same as an unknown one.
 */
import { and, asc, desc, eq, sql as raw } from 'drizzle-orm';
import { flows, flowVersions, journeys } from '../../db/schema';
import { rawSql, type Actor, type ServiceDeps } from '../deps';
import { blankDraft } from './draft';
import { FLOW_TRANSITIONS, transitionFlow, type FlowTransition } from './lifecycle';
import { flowProblems, type FlowProblem } from './problems';

export type FlowStatus = (typeof flows.status.enumValues)[number];

export interface FlowRow {
  id: string;
  name: string;
  status: FlowStatus;
  /** Version number of the published version, null when never published. */
  liveVersion: number | null;
  enteredJourneys: number;
  activeJourneys: number;
  updatedAt: Date;
  /** What went wrong while it ran (a failed sweep, refused webhooks), for its marketer. */
  problems: FlowProblem[];
}

export const FLOW_NAME_MAX = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: unknown): value is string =>
  typeof value === 'string' && UUID.test(value);

/** What a list action did, as a key of `home.results.*` (or `home.errors.*` when !ok). */
export type FlowActionResult =
  | {
      ok: true;
      result: 'created' | 'duplicated' | 'paused' | 'resumed' | 'archived';
      flowId: string;
      name: string;
    }
  | {
      ok: false;
      error:
        | 'nameRequired'
        | 'nameTooLong'
        | 'notFound'
        | 'badTransition'
        | 'unknownBrand'
        | 'badRequest';
      name?: string;
    };

/** What each list action reports when it worked (`home.results.*`). */
const RESULTS = { pause: 'paused', resume: 'resumed', archive: 'archived' } as const;
export type StatusAction = FlowTransition;
export const isStatusAction = (v: unknown): v is StatusAction =>
  typeof v === 'string' && v in FLOW_TRANSITIONS;

export function createFlowList(deps: ServiceDeps) {
  const { db } = deps;

  /** A flow of the brand `brandId` (another brand's flow id is the same as an unknown one). */
  async function flowOfBrand(brandId: string, flowId: unknown) {
    if (!isUuid(flowId)) return null;
    const [row] = await db
      .select({ id: flows.id, name: flows.name, draft: flows.draft, brandId: flows.brandId })
      .from(flows)
      .where(and(eq(flows.id, flowId), eq(flows.brandId, brandId)));
    return row ?? null;
  }

  return {
    /** The brand's flows, newest edit first, with their journey counts and problems. */
    async list(brandId: string): Promise<FlowRow[]> {
      const activeJourneys = raw<number>`(
        select count(*) from ${journeys}
        where ${journeys.flowId} = ${flows.id} and ${journeys.status} = 'active'
      )`.mapWith(Number);
      const enteredJourneys = raw<number>`(
        select count(*) from ${journeys} where ${journeys.flowId} = ${flows.id}
      )`.mapWith(Number);
      const rows = await db
        .select({
          id: flows.id,
          name: flows.name,
          status: flows.status,
          liveVersion: flowVersions.version,
          enteredJourneys,
          activeJourneys,
          updatedAt: flows.updatedAt,
        })
        .from(flows)
        .leftJoin(
          flowVersions,
          and(eq(flowVersions.id, flows.liveVersionId), eq(flowVersions.flowId, flows.id)),
        )
        .where(eq(flows.brandId, brandId))
        .orderBy(desc(flows.updatedAt), asc(flows.name));
      const problems = await flowProblems(
        rawSql(deps),
        rows.map((row) => row.id),
      );
      return rows.map((row) => ({ ...row, problems: problems.get(row.id) ?? [] }));
    },

    async create(
      brand: { id: string; timezone: string },
      rawName: unknown,
    ): Promise<FlowActionResult> {
      const name = typeof rawName === 'string' ? rawName.trim() : '';
      if (!name) return { ok: false, error: 'nameRequired' };
      if (name.length > FLOW_NAME_MAX) return { ok: false, error: 'nameTooLong' };
      const [row] = await db
        .insert(flows)
        .values({
          brandId: brand.id,
          name,
          draft: blankDraft(name, brand.timezone) as Record<string, unknown>,
        })
        .returning({ id: flows.id });
      return { ok: true, result: 'created', flowId: row!.id, name };
    },

    /** A copy of the flow's draft as a new draft flow (never its versions or journeys). */
    async duplicate(
      brandId: string,
      flowId: unknown,
      copyName: (name: string) => string,
    ): Promise<FlowActionResult> {
      const source = await flowOfBrand(brandId, flowId);
      if (!source) return { ok: false, error: 'notFound' };
      const name = copyName(source.name).slice(0, FLOW_NAME_MAX);
      const draft = { ...(source.draft as Record<string, unknown>), name };
      const [row] = await db
        .insert(flows)
        .values({ brandId: source.brandId, name, draft })
        .returning({ id: flows.id });
      return { ok: true, result: 'duplicated', flowId: row!.id, name };
    },

    /** Pause, resume or archive, recorded in the audit log as `actor`'s. */
    async changeStatus(
      actor: Actor,
      brandId: string,
      flowId: unknown,
      action: StatusAction,
    ): Promise<FlowActionResult> {
      const flow = await flowOfBrand(brandId, flowId);
      if (!flow) return { ok: false, error: 'notFound' };
      // Archiving ends the flow's journeys, resuming sends the pushes the pause held at once.
      if (!(await transitionFlow(db, flow.brandId, flow.id, action, actor)))
        return { ok: false, error: 'badTransition', name: flow.name };
      return { ok: true, result: RESULTS[action], flowId: flow.id, name: flow.name };
    },
  };
}

export type FlowListService = ReturnType<typeof createFlowList>;
