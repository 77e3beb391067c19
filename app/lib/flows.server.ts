/** Queries and actions behind the flows list (home page). */
import { and, asc, desc, eq, inArray, sql as raw } from 'drizzle-orm';
import { queueFlowArchived } from '../../db/flow-lifecycle';
import type { Language } from '~/i18n/config';
import { db, schema } from '~/lib/db.server';
import { blankDraft } from '~/lib/flow-draft';
import { formatDateTime } from '~/lib/format';

const { brands, flows, flowVersions, journeys } = schema;

export type FlowStatus = (typeof flows.status.enumValues)[number];

export interface BrandSummary {
  slug: string;
  name: string;
  timezone: string;
}

export interface FlowListItem {
  id: string;
  name: string;
  status: FlowStatus;
  /** Version number of the published version, null when never published. */
  liveVersion: number | null;
  enteredJourneys: number;
  activeJourneys: number;
  updatedAt: string;
  updatedAtLabel: string;
}

export type FlowsPage =
  | { kind: 'no-brand' }
  | { kind: 'unknown-brand'; slug: string }
  | { kind: 'brand'; brand: BrandSummary; brands: BrandSummary[]; flows: FlowListItem[] };

export async function listBrands(): Promise<BrandSummary[]> {
  return db
    .select({ id: brands.id, slug: brands.slug, name: brands.name, timezone: brands.timezone })
    .from(brands)
    .orderBy(asc(brands.name), asc(brands.slug))
    .then((rows) => rows.map(({ slug, name, timezone }) => ({ slug, name, timezone })));
}

async function listFlows(brandSlug: string) {
  const activeJourneys = raw<number>`(
    select count(*) from ${journeys}
    where ${journeys.flowId} = ${flows.id} and ${journeys.status} = 'active'
  )`.mapWith(Number);
  const enteredJourneys = raw<number>`(
    select count(*) from ${journeys} where ${journeys.flowId} = ${flows.id}
  )`.mapWith(Number);
  return db
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
    .innerJoin(brands, eq(brands.id, flows.brandId))
    .leftJoin(flowVersions, and(eq(flowVersions.id, flows.liveVersionId), eq(flowVersions.flowId, flows.id)))
    .where(eq(brands.slug, brandSlug))
    .orderBy(desc(flows.updatedAt), asc(flows.name));
}

/**
 * The brand named by `slug` (or the first by name when there is none) with its flows,
 * newest edit first; dates are formatted for `lang` in the brand's time zone.
 */
export async function loadFlowsPage(slug: string | null, lang: Language): Promise<FlowsPage> {
  const all = await listBrands();
  const brand = slug ? all.find((b) => b.slug === slug) : all[0];
  if (!brand) return slug ? { kind: 'unknown-brand', slug } : { kind: 'no-brand' };
  const rows = await listFlows(brand.slug);
  return {
    kind: 'brand',
    brand,
    brands: all,
    flows: rows.map((row) => ({
      ...row,
      updatedAt: row.updatedAt.toISOString(),
      updatedAtLabel: formatDateTime(row.updatedAt, lang, brand.timezone),
    })),
  };
}

// --- actions ---------------------------------------------------------------------------

export const FLOW_NAME_MAX = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/** What a list action did, as a key of `home.results.*` (or `home.errors.*` when !ok). */
export type FlowActionResult =
  | { ok: true; result: 'created' | 'duplicated' | 'paused' | 'resumed' | 'archived'; flowId: string; name: string }
  | { ok: false; error: 'nameRequired' | 'nameTooLong' | 'notFound' | 'badTransition' | 'unknownBrand' | 'badRequest'; name?: string };

export async function createFlow(brandSlug: string, rawName: unknown): Promise<FlowActionResult> {
  const name = typeof rawName === 'string' ? rawName.trim() : '';
  if (!name) return { ok: false, error: 'nameRequired' };
  if (name.length > FLOW_NAME_MAX) return { ok: false, error: 'nameTooLong' };
  const [brand] = await db
    .select({ id: brands.id, timezone: brands.timezone })
    .from(brands)
    .where(eq(brands.slug, brandSlug));
  if (!brand) return { ok: false, error: 'unknownBrand' };
  const [row] = await db
    .insert(flows)
    .values({ brandId: brand.id, name, draft: blankDraft(name, brand.timezone) as Record<string, unknown> })
    .returning({ id: flows.id });
  return { ok: true, result: 'created', flowId: row!.id, name };
}

/** A copy of the flow's draft as a new draft flow (never its versions or journeys). */
export async function duplicateFlow(brandSlug: string, flowId: unknown, copyName: (name: string) => string): Promise<FlowActionResult> {
  const source = await flowOfBrand(brandSlug, flowId);
  if (!source) return { ok: false, error: 'notFound' };
  const name = copyName(source.name).slice(0, FLOW_NAME_MAX);
  const draft = { ...(source.draft as Record<string, unknown>), name };
  const [row] = await db
    .insert(flows)
    .values({ brandId: source.brandId, name, draft })
    .returning({ id: flows.id });
  return { ok: true, result: 'duplicated', flowId: row!.id, name };
}

/** Which status each list action moves a flow from, and to. */
const TRANSITIONS = {
  pause: { from: ['live'], to: 'paused', result: 'paused' },
  resume: { from: ['paused'], to: 'live', result: 'resumed' },
  archive: { from: ['draft', 'live', 'paused'], to: 'archived', result: 'archived' },
} as const satisfies Record<string, { from: readonly FlowStatus[]; to: FlowStatus; result: string }>;
export type StatusAction = keyof typeof TRANSITIONS;
export const isStatusAction = (v: unknown): v is StatusAction => typeof v === 'string' && v in TRANSITIONS;

export async function changeFlowStatus(brandSlug: string, flowId: unknown, action: StatusAction): Promise<FlowActionResult> {
  const flow = await flowOfBrand(brandSlug, flowId);
  if (!flow) return { ok: false, error: 'notFound' };
  const rule = TRANSITIONS[action];
  // Compare-and-set: a concurrent change of status makes this one fail instead of overwrite.
  const updated = await db.transaction(async (tx) => {
    const rows = await tx
      .update(flows)
      .set({ status: rule.to, updatedAt: new Date() })
      .where(and(eq(flows.id, flow.id), inArray(flows.status, [...rule.from])))
      .returning({ id: flows.id });
    // Archiving ends the flow's journeys: the worker's router hears it through the outbox.
    if (rows.length > 0 && action === 'archive') await queueFlowArchived(tx, flow.brandId, flow.id);
    return rows;
  });
  if (updated.length === 0) return { ok: false, error: 'badTransition', name: flow.name };
  return { ok: true, result: rule.result, flowId: flow.id, name: flow.name };
}

async function flowOfBrand(brandSlug: string, flowId: unknown) {
  if (!isUuid(flowId)) return null;
  const [row] = await db
    .select({ id: flows.id, name: flows.name, draft: flows.draft, brandId: flows.brandId })
    .from(flows)
    .innerJoin(brands, eq(brands.id, flows.brandId))
    .where(and(eq(flows.id, flowId), eq(brands.slug, brandSlug)));
  return row ?? null;
}
