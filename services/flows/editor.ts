/**
 * The editor's use cases: load a flow with what the canvas needs (draft, live version,
 * history, the brand's resources), save drafts, publish versions, restore old ones, create a
 * tag from the picker, count an audience. Every document that arrives is re-parsed with the
 * engine's schema. The brand is always the one `requireMember` resolved (its id): another
 * brand's flow id finds nothing, the same as an unknown one. Where a person acts (publish,
 * restore, create a tag) the Actor is passed and the audit entry is written in the change's
 * transaction.
 */
import { and, asc, desc, eq, sql as raw } from 'drizzle-orm';
import { isDatabaseUnavailable, schema, sqlState } from '../../db/client';
import {
  AudienceSqlError,
  compileAudienceSql,
  FlowDraft,
  Rules,
  textProblem,
  validate,
  type BrandContext,
  type Issue,
  type ValidateOptions,
} from '../../engine/index';
import { recordAudit } from '../audit';
import { rawSql, type Actor, type ServiceDeps } from '../deps';
import { blankDraft } from './draft';
import type { BrandResources, VersionSummary } from './editor.types';
import { isUuid, type FlowStatus } from './list';
import { flowProblems } from './problems';
import { DRY_RUN_MAX, dryRunDocument, type DryRunAnswer } from './simulation';
import { brandContext, publishDocument } from './publish';
import { listMessageTemplates } from '../templates/store';
import { Scenario } from '../../engine/simulate/index';
import { poolExpiry } from '../coupons/codes';

export type { BrandResources, VersionSummary };

const { brands, couponCodes, couponPools, flows, flowVersions, menus, qrChannels, tags, users } =
  schema;

export interface EditorFlow {
  id: string;
  name: string;
  status: FlowStatus;
  liveVersion: number | null;
  brand: { id: string; slug: string; name: string; timezone: string };
}

/** What publishing checks against: the brand's tags, pools, menus, templates and QR scenes. */
export function brandContextOf(resources: BrandResources): BrandContext {
  return brandContext({
    tags: resources.accountTags,
    couponPools: resources.couponPools.map((p) => p.name),
    couponPoolsWithoutExpiry: resources.couponPools.filter((p) => !p.expires).map((p) => p.name),
    menus: resources.menus.map((m) => m.name),
    templates: resources.templates.map((t) => ({
      name: t.name,
      id: t.templateId,
      title: t.title,
      keywords: t.keywords,
    })),
    qrScenes: resources.qrChannels.map((q) => q.scene),
  });
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

export type PublishResult =
  | { ok: true; version: number; contentHash: string }
  | {
      ok: false;
      error: 'notFound' | 'invalidDocument' | 'hasErrors' | 'unchanged' | 'archived';
      issues?: Issue[];
      version?: number;
    };

/** The Simulate panel keeps at most this many test followers per flow. */
export const MAX_SCENARIOS = 10;

export type ScenariosResult =
  | { ok: true }
  | {
      ok: false;
      error: 'notFound' | 'archived' | 'tooMany' | 'invalidScenario';
      /** Where each scenario is wrong: `[1].events[0].at`. */
      issues?: { path: string; message: string }[];
    };

/** Parses the panel's scenarios (a list of at most MAX_SCENARIOS), or says where they are wrong. */
export function parseScenarios(body: unknown):
  | { ok: true; scenarios: Scenario[] }
  | {
      ok: false;
      error: 'tooMany' | 'invalidScenario';
      issues?: { path: string; message: string }[];
    } {
  const list =
    body && typeof body === 'object' && !Array.isArray(body)
      ? (body as { scenarios?: unknown }).scenarios
      : undefined;
  if (!Array.isArray(list))
    return {
      ok: false,
      error: 'invalidScenario',
      issues: [{ path: 'scenarios', message: 'should be a list' }],
    };
  if (list.length > MAX_SCENARIOS) return { ok: false, error: 'tooMany' };
  const scenarios: Scenario[] = [];
  const issues: { path: string; message: string }[] = [];
  list.forEach((item, i) => {
    const parsed = Scenario.safeParse(item);
    if (parsed.success) scenarios.push(parsed.data);
    else
      for (const issue of parsed.error.issues)
        issues.push({
          path: `[${i}]${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`,
          message: issue.message,
        });
  });
  return issues.length ? { ok: false, error: 'invalidScenario', issues } : { ok: true, scenarios };
}

/** Version numbers are positive `integer`s in the database: anything else names none. */
const isVersionNumber = (n: number) => Number.isInteger(n) && n >= 1 && n <= 2_147_483_647;

export type AudienceEstimate =
  | { ok: true; count: number }
  | {
      ok: false;
      error: 'notFound' | 'invalidRules' | 'notCountable' | 'rejected' | 'unavailable';
    };

export function createFlowEditor(deps: ServiceDeps) {
  const db = deps.db;
  const sql = rawSql(deps);
  const webhookAllowList = deps.webhookAllowList ?? [];

  /**
   * The flow `flowId` of the brand `brandId` — the brand requireMember resolved from the URL.
   * Another brand's flow id finds nothing, the same as an unknown one.
   */
  async function flowRow(brandId: string, flowId: string) {
    if (!isUuid(flowId)) return null;
    const [row] = await db
      .select({
        id: flows.id,
        name: flows.name,
        status: flows.status,
        draft: flows.draft,
        simulationScenarios: flows.simulationScenarios,
        liveVersionId: flows.liveVersionId,
        brandId: brands.id,
        brandSlug: brands.slug,
        brandName: brands.name,
        timezone: brands.timezone,
      })
      .from(flows)
      .innerJoin(brands, eq(brands.id, flows.brandId))
      .where(and(eq(flows.id, flowId), eq(flows.brandId, brandId)));
    return row ?? null;
  }

  async function brandResources(brandId: string, timeZone: string): Promise<BrandResources> {
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
        .select({
          name: couponPools.name,
          available,
          expires: raw<boolean>`${couponPools.expiresAt} is not null or ${couponPools.expiresAfterDays} is not null`,
          expiresAt: couponPools.expiresAt,
          expiresAfterDays: couponPools.expiresAfterDays,
        })
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
      listMessageTemplates(db, brandId),
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
      couponPools: poolRows.map(({ expiresAt, expiresAfterDays, ...pool }) => ({
        ...pool,
        // The simulator dates the sample coupon as the issuing activity would.
        expiry: poolExpiry({ expiresAt, expiresAfterDays }, timeZone),
      })),
      menus: menuRows,
      templates: templateRows.map((t) => ({
        name: t.name,
        templateId: t.templateId,
        title: t.title,
        example: t.example,
        keywords: t.keywords,
        fields: t.keywords.map((k) => k.key),
      })),
      qrChannels: qrRows,
    };
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
        publishedBy: raw<string | null>`coalesce(nullif(${users.name}, ''), ${users.email})`,
      })
      .from(flowVersions)
      .leftJoin(users, eq(users.id, flowVersions.publishedBy))
      .where(eq(flowVersions.flowId, flowId))
      .orderBy(desc(flowVersions.version));
    return rows.map((r) => ({ ...r, publishedAt: r.publishedAt.toISOString() }));
  }

  async function loadEditor(brandId: string, flowId: string) {
    const row = await flowRow(brandId, flowId);
    if (!row) return null;
    const [resources, versions, problems] = await Promise.all([
      brandResources(row.brandId, row.timezone),
      versionList(row.id),
      flowProblems(sql, [row.id]),
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
      /** Live validation refuses the same webhook addresses publishing does. */
      validateOptions: { webhookAllowList: webhookAllowList } satisfies ValidateOptions,
      problems: problems.get(row.id) ?? [],
      /** The Simulate panel's saved test followers (those that no longer parse are dropped). */
      scenarios: (row.simulationScenarios ?? []).flatMap((s) => {
        const parsed = Scenario.safeParse(s);
        return parsed.success ? [parsed.data] : [];
      }),
    };
  }

  async function saveDraft(brandId: string, flowId: string, body: unknown): Promise<SaveResult> {
    const row = await flowRow(brandId, flowId);
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

  /** The Simulate panel's scenarios, replaced as a whole (an empty list stores null). */
  async function saveScenarios(
    brandId: string,
    flowId: string,
    body: unknown,
  ): Promise<ScenariosResult> {
    const row = await flowRow(brandId, flowId);
    if (!row) return { ok: false, error: 'notFound' };
    if (row.status === 'archived') return { ok: false, error: 'archived' };
    const parsed = parseScenarios(body);
    if (!parsed.ok) return parsed;
    await db
      .update(flows)
      .set({
        simulationScenarios: parsed.scenarios.length
          ? (parsed.scenarios as Record<string, unknown>[])
          : null,
      })
      .where(eq(flows.id, row.id));
    return { ok: true };
  }

  /**
   * Validate with the brand → compile → new version n+1 → live, in one transaction. The draft
   * sent with the request is saved too, so what was reviewed is exactly what goes live.
   */
  async function publishFlow(
    actor: Actor,
    brandId: string,
    flowId: string,
    body: unknown,
  ): Promise<PublishResult> {
    const row = await flowRow(brandId, flowId);
    if (!row) return { ok: false, error: 'notFound' };
    if (row.status === 'archived') return { ok: false, error: 'archived' };
    const parsed = parseDraft(body);
    if (!parsed.ok) return { ok: false, error: 'invalidDocument', issues: parsed.issues };
    const published = await publishDocument(db, {
      flowId: row.id,
      brandId: row.brandId,
      draft: parsed.draft,
      timezone: row.timezone,
      brand: brandContextOf(await brandResources(row.brandId, row.timezone)),
      webhookAllowList: webhookAllowList,
      actor,
    });
    if (published.ok)
      return { ok: true, version: published.version, contentHash: published.contentHash };
    return published.reason === 'unchanged'
      ? { ok: false, error: 'unchanged', version: published.version }
      : { ok: false, error: 'hasErrors', issues: published.issues };
  }

  async function loadVersion(brandId: string, flowId: string, version: number) {
    const row = await flowRow(brandId, flowId);
    if (!row || !isVersionNumber(version)) return null;
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

  /** The version's document becomes the draft (the live version is untouched); audited. */
  async function restoreVersion(actor: Actor, brandId: string, flowId: string, version: number) {
    const row = await flowRow(brandId, flowId);
    const loaded = row && (await loadVersion(brandId, row.id, version));
    if (!row || !loaded) return { ok: false as const, error: 'notFound' as const };
    await db.transaction(async (tx) => {
      await tx
        .update(flows)
        .set({
          draft: loaded.version.document as Record<string, unknown>,
          name: loaded.version.document.name,
          updatedAt: new Date(),
        })
        .where(and(eq(flows.id, row.id), eq(flows.brandId, brandId)));
      await recordAudit(tx, {
        actor,
        action: 'flow.version_restored',
        brandId: row.brandId,
        target: { type: 'flow', id: row.id },
        details: { flowName: row.name, version },
      });
    });
    return { ok: true as const, version, draft: loaded.version.document };
  }

  const TAG_BYTES = 30;
  /** Create-as-you-type from the tag picker: the tag is ours at once, WeChat's on first use. */
  async function createTag(actor: Actor, brandId: string, flowId: string, rawName: unknown) {
    const row = await flowRow(brandId, flowId);
    if (!row) return { ok: false as const, error: 'notFound' as const };
    const name = typeof rawName === 'string' ? rawName.trim() : '';
    if (!name || textProblem(name) || new TextEncoder().encode(name).length > TAG_BYTES)
      return { ok: false as const, error: 'badTagName' as const };
    await db.transaction(async (tx) => {
      const created = await tx
        .insert(tags)
        .values({ brandId: row.brandId, name, kind: 'user' })
        .onConflictDoNothing({ target: [tags.brandId, tags.name] })
        .returning({ id: tags.id });
      // A tag that was there already is no change: nothing to record.
      if (created[0])
        await recordAudit(tx, {
          actor,
          action: 'tag.created',
          brandId: row.brandId,
          target: { type: 'tag', id: created[0].id },
          details: { name },
        });
    });
    return { ok: true as const, name };
  }

  /** "~N followers match": the rules as a parameterised WHERE over the brand's subscribed followers. */
  async function estimateAudience(
    brandId: string,
    flowId: string,
    rules: unknown,
  ): Promise<AudienceEstimate> {
    const row = await flowRow(brandId, flowId);
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
    try {
      const result = await sql.unsafe<{ n: number }[]>(
        `select count(*)::int as n from followers f where f.brand_id = $1 and f.subscribed and (${fragment.text})`,
        [row.brandId, ...fragment.params] as never[],
      );
      return { ok: true, count: result[0]?.n ?? 0 };
    } catch (error) {
      if (isDatabaseUnavailable(error)) return { ok: false, error: 'unavailable' };
      // Rules the schema accepts but PostgreSQL refuses (say, a pattern its regex engine does
      // not take): no count, a sentence — the request itself was fine.
      if (sqlState(error)) return { ok: false, error: 'rejected' };
      throw error;
    }
  }

  /**
   * The dry run of a flow's draft — the one posted (saved or not), else the stored one — over
   * a random sample of the brand's followers (services/flows/simulation.ts). A read.
   */
  async function dryRun(
    brandId: string,
    flowId: string,
    input: { document?: unknown; sample?: unknown },
  ): Promise<DryRunAnswer | { ok: false; error: 'notFound' | 'badSample' }> {
    const row = await flowRow(brandId, flowId);
    if (!row) return { ok: false, error: 'notFound' };
    const sample = input.sample ?? 1000;
    if (
      typeof sample !== 'number' ||
      !Number.isInteger(sample) ||
      sample < 1 ||
      sample > DRY_RUN_MAX
    )
      return { ok: false, error: 'badSample' };
    return dryRunDocument(db, row.brandId, input.document ?? row.draft, { sample });
  }

  return {
    brandResources,
    loadEditor,
    dryRun,
    saveDraft,
    saveScenarios,
    publishFlow,
    loadVersion,
    restoreVersion,
    createTag,
    estimateAudience,
  };
}

export type FlowEditorService = ReturnType<typeof createFlowEditor>;
