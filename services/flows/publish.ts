/**
 * Publishing, for the editor and the CLI alike: validate against the brand → compile →
 * freeze version n+1 (the fully typed document, its plan and content hash) → live, in one
 * transaction that also saves the published draft.
 */
import { desc, eq, sql } from 'drizzle-orm';
import {
  canonicalJson,
  compile,
  FlowDoc,
  FlowInvalidError,
  hasErrors,
  sha256Hex,
  validate,
  type BrandContext,
  type Issue,
  type TemplateKeyword,
} from '../../engine/index';
import { actorUserId, recordAudit } from '../audit';
import type { Actor } from '../deps';
import type { Db } from '../../db/client';
import { listMessageTemplates } from '../templates/store';
import { queueFlowResumed } from './lifecycle';
import { couponPools, flowVersions, flows, menus, qrChannels, tags } from '../../db/schema';

/** The brand's resources a flow may name: what E_UNKNOWN_RESOURCE and E_TAG_BUDGET check. */
export async function loadBrandContext(db: Db, brandId: string): Promise<BrandContext> {
  const [tagRows, poolRows, menuRows, templateRows, qrRows] = await Promise.all([
    db.select({ name: tags.name }).from(tags).where(eq(tags.brandId, brandId)),
    db
      .select({
        name: couponPools.name,
        expires: sql<boolean>`${couponPools.expiresAt} is not null or ${couponPools.expiresAfterDays} is not null`,
      })
      .from(couponPools)
      .where(eq(couponPools.brandId, brandId)),
    db.select({ name: menus.name }).from(menus).where(eq(menus.brandId, brandId)),
    listMessageTemplates(db, brandId),
    db.select({ scene: qrChannels.scene }).from(qrChannels).where(eq(qrChannels.brandId, brandId)),
  ]);
  return brandContext({
    tags: tagRows.map((t) => t.name),
    couponPools: poolRows.map((p) => p.name),
    couponPoolsWithoutExpiry: poolRows.filter((p) => !p.expires).map((p) => p.name),
    menus: menuRows.map((m) => m.name),
    templates: templateRows.map((t) => ({
      name: t.name,
      id: t.templateId,
      title: t.title,
      keywords: t.keywords,
    })),
    qrScenes: qrRows.map((q) => q.scene),
  });
}

/** One rule for building the context, whoever loaded the resources. */
export function brandContext(r: {
  tags: string[];
  couponPools: string[];
  couponPoolsWithoutExpiry: string[];
  menus: string[];
  /** With their keywords, when known: a template message must fill each. */
  templates: { name: string; id: string; title?: string; keywords?: TemplateKeyword[] }[];
  qrScenes: string[];
}): BrandContext {
  return {
    tags: r.tags,
    couponPools: r.couponPools,
    couponPoolsWithoutExpiry: r.couponPoolsWithoutExpiry,
    menus: r.menus,
    // A push may name a template by our name or by its WeChat id.
    templates: r.templates.flatMap((t) => [t.name, t.id]),
    messageTemplates: r.templates.map((t) => ({
      id: t.id,
      name: t.name,
      title: t.title || t.name,
      keywords: t.keywords ?? [],
    })),
    // Scenes are only checked once the brand manages its QR channels here; before that a
    // flow may use scenes of codes made elsewhere.
    ...(r.qrScenes.length ? { qrScenes: r.qrScenes } : {}),
  };
}

export type PublishOutcome =
  | { ok: true; version: number; versionId: string; contentHash: string }
  | { ok: false; reason: 'invalid'; issues: Issue[] }
  /** The document equals the live version: nothing to publish. */
  | { ok: false; reason: 'unchanged'; version: number };

export async function publishDocument(
  db: Db,
  args: {
    flowId: string;
    brandId: string;
    draft: unknown;
    timezone: string;
    /** Defaults to the brand's resources as stored. */
    brand?: BrandContext;
    /** The operator's WEBHOOK_ALLOW_HOSTS (webhooks elsewhere inside are refused). */
    webhookAllowList?: readonly string[];
    /**
     * Who publishes: recorded in the audit log with the version, and as its `published_by`
     * (null for the operator's CLI).
     */
    actor: Actor;
  },
): Promise<PublishOutcome> {
  const brand = args.brand ?? (await loadBrandContext(db, args.brandId));
  const options = { webhookAllowList: args.webhookAllowList ?? [] };
  const issues = validate(args.draft, brand, options);
  if (hasErrors(issues)) return { ok: false, reason: 'invalid', issues };
  let plan: ReturnType<typeof compile>;
  try {
    plan = compile(args.draft, { timezone: args.timezone, brand, ...options });
  } catch (error) {
    // validate checks what compile binds (parameter defaults included); should the two ever
    // disagree, compile's issues are the answer — never a 500.
    if (error instanceof FlowInvalidError)
      return { ok: false, reason: 'invalid', issues: error.issues };
    throw error;
  }
  // The frozen version is the fully typed document, config defaults applied.
  const document = FlowDoc.parse(args.draft) as unknown as Record<string, unknown>;
  const contentHash = sha256Hex(canonicalJson(document));
  const name = typeof document.name === 'string' ? document.name.trim() : '';
  return db.transaction(async (tx) => {
    // Serialises concurrent publishes of one flow: version numbers never collide.
    const [current] = await tx
      .select({
        liveVersionId: flows.liveVersionId,
        status: flows.status,
        name: flows.name,
      })
      .from(flows)
      .where(eq(flows.id, args.flowId))
      .for('update');
    const [latest] = await tx
      .select({
        id: flowVersions.id,
        version: flowVersions.version,
        contentHash: flowVersions.contentHash,
      })
      .from(flowVersions)
      .where(eq(flowVersions.flowId, args.flowId))
      .orderBy(desc(flowVersions.version))
      .limit(1);
    if (
      latest &&
      latest.id === current?.liveVersionId &&
      latest.contentHash === contentHash &&
      current?.status === 'live'
    ) {
      return { ok: false as const, reason: 'unchanged' as const, version: latest.version };
    }
    const version = (latest?.version ?? 0) + 1;
    const [inserted] = await tx
      .insert(flowVersions)
      .values({
        flowId: args.flowId,
        version,
        document,
        plan: plan as unknown as Record<string, unknown>,
        contentHash,
        publishedBy: actorUserId(args.actor),
      })
      .returning({ id: flowVersions.id });
    await tx
      .update(flows)
      .set({
        draft: args.draft as Record<string, unknown>,
        ...(name ? { name } : {}),
        liveVersionId: inserted!.id,
        status: 'live',
        updatedAt: sql`now()`,
      })
      .where(eq(flows.id, args.flowId));
    // Publishing a paused flow makes it live again: the pushes the pause held go out now.
    if (current?.status === 'paused') await queueFlowResumed(tx, args.brandId, args.flowId);
    await recordAudit(tx, {
      actor: args.actor,
      action: 'flow.published',
      brandId: args.brandId,
      target: { type: 'flow', id: args.flowId },
      details: { flowName: name || current?.name || '', version, versionId: inserted!.id },
    });
    return { ok: true as const, version, versionId: inserted!.id, contentHash };
  });
}
