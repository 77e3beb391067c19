/**
 * The editor's server side: load a flow with what the canvas needs (draft, live version,
 * history, the brand's resources), save drafts, publish versions, restore old ones, count
 * an audience. Every document that arrives is re-parsed with the engine's schema.
 */
import { and, asc, desc, eq, sql as raw } from 'drizzle-orm';
import { db, schema, sql } from '~/lib/db.server';
import {
  AudienceSqlError,
  compileAudienceSql,
  FlowDraft,
  Rules,
  validate,
  type BrandContext,
  type Issue,
} from '~/lib/engine';
import { brandContext, publishDocument } from '../../db/flow-publish';
import { blankDraft } from '~/lib/flow-draft';
import type { BrandResources, VersionSummary } from '~/lib/flow-editor.types';
import { isUuid, type FlowStatus } from '~/lib/flows.server';

export type { BrandResources, VersionSummary };

const {
  brands,
  couponCodes,
  couponPools,
  flows,
  flowVersions,
  menus,
  messageTemplates,
  qrChannels,
  tags,
} = schema;

export interface EditorFlow {
  id: string;
  name: string;
  status: FlowStatus;
  liveVersion: number | null;
  brand: { id: string; slug: string; name: string; timezone: string };
}

async function flowRow(flowId: string) {
  if (!isUuid(flowId)) return null;
  const [row] = await db
    .select({
      id: flows.id,
      name: flows.name,
      status: flows.status,
      draft: flows.draft,
      liveVersionId: flows.liveVersionId,
      brandId: brands.id,
      brandSlug: brands.slug,
      brandName: brands.name,
      timezone: brands.timezone,
    })
    .from(flows)
    .innerJoin(brands, eq(brands.id, flows.brandId))
    .where(eq(flows.id, flowId));
  return row ?? null;
}

export async function brandResources(brandId: string): Promise<BrandResources> {
  const available =
    raw<number>`count(${couponCodes.id}) filter (where ${couponCodes.status} = 'available')`.mapWith(
      Number,
    );
  const [tagRows, poolRows, menuRows, templateRows, qrRows] = await Promise.all([
    db
      .select({ name: tags.name, kind: tags.kind })
      .from(tags)
      .where(eq(tags.brandId, brandId))
      .orderBy(asc(tags.name)),
    db
      .select({ name: couponPools.name, available })
      .from(couponPools)
      .leftJoin(couponCodes, eq(couponCodes.poolId, couponPools.id))
      .where(eq(couponPools.brandId, brandId))
      .groupBy(couponPools.id)
      .orderBy(asc(couponPools.name)),
    db
      .select({ name: menus.name, isDefault: menus.isDefault })
      .from(menus)
      .where(eq(menus.brandId, brandId))
      .orderBy(asc(menus.name)),
    db
      .select({
        name: messageTemplates.name,
        templateId: messageTemplates.wechatTemplateId,
        fields: messageTemplates.fields,
      })
      .from(messageTemplates)
      .where(eq(messageTemplates.brandId, brandId))
      .orderBy(asc(messageTemplates.name)),
    db
      .select({ name: qrChannels.name, scene: qrChannels.scene })
      .from(qrChannels)
      .where(eq(qrChannels.brandId, brandId))
      .orderBy(asc(qrChannels.name)),
  ]);
  return {
    // Reserved menu tags are an implementation detail of menu swaps: never offered to marketers.
    tags: tagRows.filter((t) => t.kind === 'user').map((t) => t.name),
    accountTags: tagRows.map((t) => t.name),
    couponPools: poolRows,
    menus: menuRows,
    templates: templateRows,
    qrChannels: qrRows,
  };
}

/** What publishing checks against: the brand's tags, pools, menus, templates and QR scenes. */
export function brandContextOf(resources: BrandResources): BrandContext {
  return brandContext({
    tags: resources.accountTags,
    couponPools: resources.couponPools.map((p) => p.name),
    menus: resources.menus.map((m) => m.name),
    templates: resources.templates.map((t) => ({ name: t.name, id: t.templateId })),
    qrScenes: resources.qrChannels.map((q) => q.scene),
  });
}

async function versionList(flowId: string): Promise<VersionSummary[]> {
  const rows = await db
    .select({
      id: flowVersions.id,
      version: flowVersions.version,
      publishedAt: flowVersions.publishedAt,
      contentHash: flowVersions.contentHash,
      nodeCount: raw<number>`jsonb_array_length(${flowVersions.document} -> 'nodes')`.mapWith(
        Number,
      ),
    })
    .from(flowVersions)
    .where(eq(flowVersions.flowId, flowId))
    .orderBy(desc(flowVersions.version));
  return rows.map((r) => ({ ...r, publishedAt: r.publishedAt.toISOString() }));
}

export async function loadEditor(flowId: string) {
  const row = await flowRow(flowId);
  if (!row) return null;
  const [resources, versions] = await Promise.all([
    brandResources(row.brandId),
    versionList(row.id),
  ]);
  const parsed = FlowDraft.safeParse(row.draft);
  const live = row.liveVersionId
    ? (versions.find((v) => v.id === row.liveVersionId) ?? null)
    : null;
  const liveDocument = live
    ? ((
        await db
          .select({ document: flowVersions.document })
          .from(flowVersions)
          .where(eq(flowVersions.id, live.id))
      )[0]?.document ?? null)
    : null;
  const flow: EditorFlow = {
    id: row.id,
    name: row.name,
    status: row.status,
    liveVersion: live?.version ?? null,
    brand: { id: row.brandId, slug: row.brandSlug, name: row.brandName, timezone: row.timezone },
  };
  return {
    flow,
    // A stored draft always parses (saves are checked); should one not, start from a blank one.
    draft: parsed.success ? parsed.data : blankDraft(row.name, row.timezone),
    draftWasInvalid: !parsed.success,
    liveDocument: liveDocument ? FlowDraft.parse(liveDocument) : null,
    versions,
    resources,
    brandContext: brandContextOf(resources),
  };
}

export type SaveResult =
  | { ok: true; savedAt: string }
  | { ok: false; error: 'notFound' | 'invalidDocument' | 'archived'; issues?: Issue[] };

/** Refuses anything that is not a well-formed draft (issues say where); stores nothing then. */
function parseDraft(
  body: unknown,
): { ok: true; draft: FlowDraft } | { ok: false; issues: Issue[] } {
  const parsed = FlowDraft.safeParse(body);
  if (parsed.success) return { ok: true, draft: parsed.data };
  return { ok: false, issues: validate(body).filter((i) => i.code === 'E_FORMAT') };
}

export async function saveDraft(flowId: string, body: unknown): Promise<SaveResult> {
  const row = await flowRow(flowId);
  if (!row) return { ok: false, error: 'notFound' };
  if (row.status === 'archived') return { ok: false, error: 'archived' };
  const parsed = parseDraft(body);
  if (!parsed.ok) return { ok: false, error: 'invalidDocument', issues: parsed.issues };
  const now = new Date();
  await db
    .update(flows)
    .set({
      draft: parsed.draft as Record<string, unknown>,
      name: parsed.draft.name.trim() || row.name,
      updatedAt: now,
    })
    .where(eq(flows.id, row.id));
  return { ok: true, savedAt: now.toISOString() };
}

export type PublishResult =
  | { ok: true; version: number; contentHash: string }
  | {
      ok: false;
      error: 'notFound' | 'invalidDocument' | 'hasErrors' | 'unchanged' | 'archived';
      issues?: Issue[];
      version?: number;
    };

/**
 * Validate with the brand → compile → new version n+1 → live, in one transaction. The draft
 * sent with the request is saved too, so what was reviewed is exactly what goes live.
 */
export async function publishFlow(flowId: string, body: unknown): Promise<PublishResult> {
  const row = await flowRow(flowId);
  if (!row) return { ok: false, error: 'notFound' };
  if (row.status === 'archived') return { ok: false, error: 'archived' };
  const parsed = parseDraft(body);
  if (!parsed.ok) return { ok: false, error: 'invalidDocument', issues: parsed.issues };
  const published = await publishDocument(db, {
    flowId: row.id,
    brandId: row.brandId,
    draft: parsed.draft,
    timezone: row.timezone,
    brand: brandContextOf(await brandResources(row.brandId)),
  });
  if (published.ok)
    return { ok: true, version: published.version, contentHash: published.contentHash };
  return published.reason === 'unchanged'
    ? { ok: false, error: 'unchanged', version: published.version }
    : { ok: false, error: 'hasErrors', issues: published.issues };
}

export async function loadVersion(flowId: string, version: number) {
  const row = await flowRow(flowId);
  if (!row || !Number.isInteger(version)) return null;
  const [found] = await db
    .select()
    .from(flowVersions)
    .where(and(eq(flowVersions.flowId, row.id), eq(flowVersions.version, version)));
  if (!found) return null;
  return {
    flow: {
      id: row.id,
      name: row.name,
      liveVersionId: row.liveVersionId,
      brandSlug: row.brandSlug,
      timezone: row.timezone,
    },
    version: {
      id: found.id,
      version: found.version,
      publishedAt: found.publishedAt.toISOString(),
      contentHash: found.contentHash,
      isLive: found.id === row.liveVersionId,
      document: FlowDraft.parse(found.document),
    },
  };
}

/** The version's document becomes the draft (the live version is untouched). */
export async function restoreVersion(flowId: string, version: number) {
  const loaded = await loadVersion(flowId, version);
  if (!loaded) return { ok: false as const, error: 'notFound' as const };
  await db
    .update(flows)
    .set({
      draft: loaded.version.document as Record<string, unknown>,
      name: loaded.version.document.name,
      updatedAt: new Date(),
    })
    .where(eq(flows.id, flowId));
  return { ok: true as const, version, draft: loaded.version.document };
}

const TAG_BYTES = 30;
/** Create-as-you-type from the tag picker: the tag is ours at once, WeChat's on first use. */
export async function createTag(flowId: string, rawName: unknown) {
  const row = await flowRow(flowId);
  if (!row) return { ok: false as const, error: 'notFound' as const };
  const name = typeof rawName === 'string' ? rawName.trim() : '';
  if (!name || new TextEncoder().encode(name).length > TAG_BYTES)
    return { ok: false as const, error: 'badTagName' as const };
  await db
    .insert(tags)
    .values({ brandId: row.brandId, name, kind: 'user' })
    .onConflictDoNothing({ target: [tags.brandId, tags.name] });
  return { ok: true as const, name };
}

export type AudienceEstimate =
  { ok: true; count: number } | { ok: false; error: 'notFound' | 'invalidRules' | 'notCountable' };

/** "~N followers match": the rules as a parameterised WHERE over the brand's subscribed followers. */
export async function estimateAudience(flowId: string, rules: unknown): Promise<AudienceEstimate> {
  const row = await flowRow(flowId);
  if (!row) return { ok: false, error: 'notFound' };
  const parsed = Rules.safeParse(rules);
  if (!parsed.success) return { ok: false, error: 'invalidRules' };
  let fragment;
  try {
    fragment = compileAudienceSql(parsed.data, { now: new Date(), startAt: 2, table: 'f' });
  } catch (error) {
    if (error instanceof AudienceSqlError) return { ok: false, error: 'notCountable' };
    throw error;
  }
  const result = await sql.unsafe<{ n: number }[]>(
    `select count(*)::int as n from followers f where f.brand_id = $1 and f.subscribed and (${fragment.text})`,
    [row.brandId, ...fragment.params] as never[],
  );
  return { ok: true, count: result[0]?.n ?? 0 };
}
