/**
 * Flow templates shared between the brands of an organization (issue 13): a library of
 * `fanfare.flow/v1` documents whose brand resources are typed parameters. Admins publish
 * templates (a template of the same name gets a new, immutable version); editors make a
 * brand's flow from one by binding its parameters to the brand's own resources. The flow
 * remembers the template version and its bindings, so a newer version shows as "update
 * available" with the diff, and updating re-binds the new version with the same bindings into
 * the flow's draft. Not to be confused with message templates (services/templates).
 */
import { and, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import {
  bindTemplate,
  canonicalJson,
  diffFlows,
  exportTemplate,
  FlowDraft,
  hasErrors,
  sha256Hex,
  templateCandidates,
  validateTemplate,
  type FlowDiff,
  type Issue,
  type ParamChoice,
  type ParameterKind,
  type TemplateCandidate,
} from '../../engine/index';
import {
  brands,
  flows,
  flowTemplates,
  flowTemplateVersions,
  flowVersions,
  organizations,
} from '../../db/schema';
import { actorUserId, type AuditService } from '../audit';
import { createBrandAccess, forbidden } from '../brands/access';
import { actorLabel, type Actor, type ServiceDeps } from '../deps';
import { ServiceError } from '../errors';
import { loadBrandContext, publishDocument } from '../flows/publish';
import type { MembershipsService } from '../members/memberships';
import { can, higherRole, type Permission, type Role } from '../members/roles';
import type { OrganizationsService } from '../members/organizations';

export interface TemplateVersionSummary {
  id: string;
  version: number;
  description: string;
  createdBy: string;
  createdAt: Date;
}

export interface TemplateUse {
  brandSlug: string;
  brandName: string;
  flowId: string;
  flowName: string;
  version: number;
}

export interface TemplateSummary {
  id: string;
  name: string;
  description: string;
  latestVersion: number;
  /** Parameter names and kinds of the latest version. */
  parameters: { name: string; kind: ParameterKind }[];
  createdBy: string;
  updatedAt: Date;
  usedBy: TemplateUse[];
}

export interface TemplateDetail extends TemplateSummary {
  organizationId: string;
  versions: (TemplateVersionSummary & {
    document: FlowDraft;
    /** What changed from the version before (null for the first). */
    diff: FlowDiff | null;
  })[];
}

export type ImportOutcome =
  | {
      ok: true;
      templateId: string;
      name: string;
      version: number;
      versionId: string;
      /** The document equals the latest version: no new version was made. */
      unchanged: boolean;
      issues: Issue[];
    }
  | { ok: false; issues: Issue[] };

export type UseOutcome =
  | {
      ok: true;
      flowId: string;
      flowName: string;
      templateVersion: number;
      issues: Issue[];
      published: { version: number } | null;
    }
  | { ok: false; issues: Issue[] };

export interface TemplateStatus {
  templateId: string;
  templateName: string;
  version: number;
  latestVersion: number;
  updateAvailable: boolean;
  bindings: Record<string, string>;
  /** From the flow's template version to the latest (null: up to date). */
  diff: FlowDiff | null;
}

export type UpdateOutcome =
  { ok: true; version: number; unchanged: boolean } | { ok: false; issues: Issue[] };

interface OrgRef {
  id: string;
  name: string;
  slug: string;
}

const asDraft = (doc: unknown) => FlowDraft.parse(doc);

export function createFlowTemplates(
  deps: ServiceDeps & {
    audit: AuditService;
    memberships: MembershipsService;
    organizations: OrganizationsService;
  },
) {
  const brandFor = createBrandAccess(deps);

  /**
   * The organization `ref` (slug or name) for the actor: the operator always; a user by their
   * role there. Reading the library, a role in one of its brands counts too (a brand editor
   * uses the library of the brand's organization); publishing to it takes an organization
   * admin — a brand's admin shares nothing with the other brands. Unknown or not theirs:
   * `organization_unknown`.
   */
  async function orgFor(actor: Actor, ref: string, permission: Permission): Promise<OrgRef> {
    const org = await deps.organizations.find(ref);
    const unknown = () =>
      new ServiceError(
        'organization_unknown',
        `no organization "${ref}" (see: fanfare brand list)`,
        'organization',
      );
    if (!org) throw unknown();
    if (actor.kind === 'operator') return org;
    const role = await roleInOrg(actor.userId, org.id, permission !== 'templates.publish');
    if (!role) throw unknown();
    if (!can(role, permission)) throw forbidden(role, permission);
    return org;
  }

  async function roleInOrg(
    userId: string,
    organizationId: string,
    withBrandRoles: boolean,
  ): Promise<Role | null> {
    let role = await deps.memberships.roleInOrganization(userId, organizationId);
    if (!withBrandRoles) {
      // Known to the organization through a brand only: below publishing, not a stranger.
      const inBrand = (await deps.memberships.brandsOf(userId)).some(
        (b) => b.organizationId === organizationId,
      );
      return role ?? (inBrand ? 'viewer' : null);
    }
    for (const b of await deps.memberships.brandsOf(userId)) {
      if (b.organizationId !== organizationId) continue;
      role = role ? higherRole(role, b.role) : b.role;
    }
    return role;
  }

  async function organizationOfBrand(brandSlug: string): Promise<OrgRef | null> {
    const [row] = await deps.db
      .select({ id: organizations.id, name: organizations.name, slug: organizations.slug })
      .from(brands)
      .innerJoin(organizations, eq(organizations.id, brands.organizationId))
      .where(eq(brands.slug, brandSlug));
    return row ?? null;
  }

  async function templateIn(organizationId: string, ref: string) {
    const isId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref);
    const [row] = await deps.db
      .select()
      .from(flowTemplates)
      .where(
        and(
          eq(flowTemplates.organizationId, organizationId),
          isId ? eq(flowTemplates.id, ref) : eq(flowTemplates.name, ref.trim()),
        ),
      );
    if (!row)
      throw new ServiceError(
        'template_unknown',
        `no template "${ref}" in the library`,
        'template',
        {
          template: ref,
        },
      );
    return row;
  }

  async function versionsOf(templateId: string) {
    return deps.db
      .select()
      .from(flowTemplateVersions)
      .where(eq(flowTemplateVersions.templateId, templateId))
      .orderBy(desc(flowTemplateVersions.version));
  }

  async function usesOf(templateIds: string[]): Promise<Map<string, TemplateUse[]>> {
    const out = new Map<string, TemplateUse[]>();
    if (templateIds.length === 0) return out;
    const rows = await deps.db
      .select({
        templateId: flowTemplateVersions.templateId,
        version: flowTemplateVersions.version,
        brandSlug: brands.slug,
        brandName: brands.name,
        flowId: flows.id,
        flowName: flows.name,
      })
      .from(flows)
      .innerJoin(flowTemplateVersions, eq(flowTemplateVersions.id, flows.templateVersionId))
      .innerJoin(brands, eq(brands.id, flows.brandId))
      .where(
        and(
          inArray(flowTemplateVersions.templateId, templateIds),
          sql`${flows.status} <> 'archived'`,
        ),
      )
      .orderBy(brands.slug, flows.name);
    for (const { templateId, ...use } of rows) {
      const list = out.get(templateId) ?? [];
      list.push(use);
      out.set(templateId, list);
    }
    return out;
  }

  async function flowOf(brandId: string, flowRef: string) {
    const isId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(flowRef);
    const [flow] = await deps.db
      .select()
      .from(flows)
      .where(
        and(eq(flows.brandId, brandId), isId ? eq(flows.id, flowRef) : eq(flows.name, flowRef)),
      )
      .orderBy(desc(flows.updatedAt))
      .limit(1);
    if (!flow)
      throw new ServiceError('flow_unknown', `the brand has no flow "${flowRef}"`, 'flow', {
        flow: flowRef,
      });
    return flow;
  }

  const summaryOf = (
    t: typeof flowTemplates.$inferSelect,
    latest: typeof flowTemplateVersions.$inferSelect,
    usedBy: TemplateUse[],
  ): TemplateSummary => {
    const doc = latest.document as { parameters?: { name: string; kind: ParameterKind }[] };
    return {
      id: t.id,
      name: t.name,
      description: latest.description,
      latestVersion: latest.version,
      parameters: (doc.parameters ?? []).map((p) => ({ name: p.name, kind: p.kind })),
      createdBy: latest.createdByLabel,
      updatedAt: latest.createdAt,
      usedBy,
    };
  };

  return {
    orgFor,

    /**
     * A brand's flow (its live version, else its draft) as a template: every brand resource a
     * parameter, `choices` naming them or making a text, a duration or a number one too.
     */
    async exportFromFlow(
      actor: Actor,
      args: { brandSlug: string; flow: string; choices?: ParamChoice[]; draft?: boolean },
    ): Promise<{ ok: true; doc: FlowDraft; issues: Issue[] } | { ok: false; issues: Issue[] }> {
      const brand = await brandFor(actor, args.brandSlug, 'brand.read');
      const flow = await flowOf(brand.id, args.flow);
      const document = await exportedDocument(flow, args.draft);
      const result = exportTemplate(document, args.choices ?? []);
      if (!result.ok && result.unknownPaths.length)
        throw new ServiceError(
          'template_param_path_unknown',
          `no value at ${result.unknownPaths.join(', ')} in "${flow.name}" (a step id then its field, e.g. coupon.pool or scan.scenes.0)`,
          'param',
          { path: result.unknownPaths.join(', ') },
        );
      return result.ok ? result : { ok: false, issues: result.issues };
    },

    /**
     * What of a brand's flow (the document `exportFromFlow` reads) can become a parameter:
     * its brand resources (parameters anyway) and its push texts, durations and numbers.
     */
    async parameterCandidates(
      actor: Actor,
      args: { brandSlug: string; flow: string; draft?: boolean },
    ): Promise<TemplateCandidate[]> {
      const brand = await brandFor(actor, args.brandSlug, 'brand.read');
      const flow = await flowOf(brand.id, args.flow);
      return templateCandidates(await exportedDocument(flow, args.draft));
    },

    /**
     * Adds the template to the organization's library (admins): checked as a template, nothing
     * stored when it has errors. A template of the same name gets a new version, unless the
     * document equals its latest one.
     */
    async publish(
      actor: Actor,
      args: { organization: string; document: unknown; description?: string; name?: string },
    ): Promise<ImportOutcome> {
      const org = await orgFor(actor, args.organization, 'templates.publish');
      const issues = validateTemplate(args.document);
      if (hasErrors(issues)) return { ok: false, issues };
      const doc = asDraft(args.document);
      const name = (args.name ?? doc.name).trim();
      if (!name)
        throw new ServiceError('template_name_missing', 'give the template a name', 'name');
      const description = (args.description ?? doc.description ?? '').trim();
      const contentHash = sha256Hex(canonicalJson(doc));
      return deps.db.transaction(async (tx) => {
        await tx
          .insert(flowTemplates)
          .values({ organizationId: org.id, name })
          .onConflictDoNothing();
        const [template] = await tx
          .select()
          .from(flowTemplates)
          .where(and(eq(flowTemplates.organizationId, org.id), eq(flowTemplates.name, name)))
          .for('update');
        const [latest] = await tx
          .select()
          .from(flowTemplateVersions)
          .where(eq(flowTemplateVersions.templateId, template!.id))
          .orderBy(desc(flowTemplateVersions.version))
          .limit(1);
        if (latest && latest.contentHash === contentHash) {
          return {
            ok: true as const,
            templateId: template!.id,
            name,
            version: latest.version,
            versionId: latest.id,
            unchanged: true,
            issues,
          };
        }
        const version = (latest?.version ?? 0) + 1;
        const [inserted] = await tx
          .insert(flowTemplateVersions)
          .values({
            templateId: template!.id,
            version,
            document: doc as unknown as Record<string, unknown>,
            description,
            contentHash,
            createdBy: actorUserId(actor),
            createdByLabel: actorLabel(actor),
          })
          .returning({ id: flowTemplateVersions.id });
        await tx
          .update(flowTemplates)
          .set({ updatedAt: sql`now()` })
          .where(eq(flowTemplates.id, template!.id));
        await deps.audit.record(
          {
            actor,
            action: 'flow_template.published',
            organizationId: org.id,
            target: { type: 'flow_template', id: template!.id },
            details: { name, version },
          },
          tx,
        );
        return {
          ok: true as const,
          templateId: template!.id,
          name,
          version,
          versionId: inserted!.id,
          unchanged: false,
          issues,
        };
      });
    },

    /** The organization's templates, newest first; `search` matches name and description. */
    async list(
      actor: Actor,
      organization: string,
      options: { search?: string } = {},
    ): Promise<TemplateSummary[]> {
      const org = await orgFor(actor, organization, 'brand.read');
      const templates = await deps.db
        .select()
        .from(flowTemplates)
        .where(eq(flowTemplates.organizationId, org.id))
        .orderBy(desc(flowTemplates.updatedAt));
      if (templates.length === 0) return [];
      const latest = await deps.db
        .selectDistinctOn([flowTemplateVersions.templateId])
        .from(flowTemplateVersions)
        .where(
          inArray(
            flowTemplateVersions.templateId,
            templates.map((t) => t.id),
          ),
        )
        .orderBy(flowTemplateVersions.templateId, desc(flowTemplateVersions.version));
      const latestOf = new Map(latest.map((v) => [v.templateId, v]));
      const uses = await usesOf(templates.map((t) => t.id));
      const needle = options.search?.trim().toLowerCase() ?? '';
      return templates
        .filter((t) => latestOf.has(t.id))
        .map((t) => summaryOf(t, latestOf.get(t.id)!, uses.get(t.id) ?? []))
        .filter(
          (t) =>
            !needle ||
            t.name.toLowerCase().includes(needle) ||
            t.description.toLowerCase().includes(needle),
        );
    },

    /** One template with every version, its document and the diff from the version before. */
    async detail(actor: Actor, organization: string, template: string): Promise<TemplateDetail> {
      const org = await orgFor(actor, organization, 'brand.read');
      const t = await templateIn(org.id, template);
      const versions = await versionsOf(t.id);
      const uses = await usesOf([t.id]);
      const docs = versions.map((v) => asDraft(v.document));
      return {
        ...summaryOf(t, versions[0]!, uses.get(t.id) ?? []),
        organizationId: org.id,
        versions: versions.map((v, i) => ({
          id: v.id,
          version: v.version,
          description: v.description,
          createdBy: v.createdByLabel,
          createdAt: v.createdAt,
          document: docs[i]!,
          diff: docs[i + 1] ? diffFlows(docs[i + 1]!, docs[i]!) : null,
        })),
      };
    },

    /**
     * A brand flow from a template of the brand's organization (editors): each parameter bound
     * to the brand's value (given, else the default), checked against the brand's resources;
     * nothing stored when it has errors. Stored as a draft that remembers the template
     * version and the bindings; `publish` also publishes it (and stores nothing if that fails).
     */
    async use(
      actor: Actor,
      args: {
        brandSlug: string;
        template: string;
        bindings: Record<string, string>;
        name?: string;
        publish?: boolean;
      },
    ): Promise<UseOutcome> {
      const brand = await brandFor(
        actor,
        args.brandSlug,
        args.publish ? 'flow.publish' : 'templates.use',
      );
      if (!brand.organizationId)
        throw new ServiceError(
          'brand_without_organization',
          'the brand belongs to no organization, so it has no template library',
          'brand',
        );
      const t = await templateIn(brand.organizationId, args.template);
      const [latest] = await versionsOf(t.id);
      const context = await loadBrandContext(deps.db, brand.id);
      const bindings = cleanBindings(args.bindings);
      const bound = bindTemplate(latest!.document, bindings, context);
      if (!bound.ok) return { ok: false, issues: bound.issues };
      const name = (args.name ?? bound.doc.name).trim() || t.name;
      const draft = { ...bound.doc, name };
      const [timezone] = await deps.db
        .select({ timezone: brands.timezone })
        .from(brands)
        .where(eq(brands.id, brand.id));
      const audited = (flowId: string) => ({
        actor,
        action: 'flow_template.used' as const,
        organizationId: brand.organizationId,
        brandId: brand.id,
        target: { type: 'flow', id: flowId },
        details: { name: t.name, version: latest!.version, flowName: name },
      });
      const flowId = await deps.db.transaction(async (tx) => {
        const [row] = await tx
          .insert(flows)
          .values({
            brandId: brand.id,
            name,
            draft: draft as unknown as Record<string, unknown>,
            templateVersionId: latest!.id,
            templateBindings: bindings,
          })
          .returning({ id: flows.id });
        // Published too: recorded once publishing kept the flow (it is removed when it fails).
        if (!args.publish) await deps.audit.record(audited(row!.id), tx);
        return row!.id;
      });
      let published: { version: number } | null = null;
      if (args.publish) {
        const outcome = await publishDocument(deps.db, {
          flowId,
          brandId: brand.id,
          draft,
          timezone: timezone!.timezone,
          brand: context,
          webhookAllowList: deps.webhookAllowList ?? [],
          actor,
        }).catch(async (error: unknown) => {
          await deps.db.delete(flows).where(eq(flows.id, flowId));
          throw error;
        });
        if (!outcome.ok) {
          await deps.db.delete(flows).where(eq(flows.id, flowId));
          return { ok: false, issues: outcome.reason === 'invalid' ? outcome.issues : [] };
        }
        published = { version: outcome.version };
        await deps.audit.record(audited(flowId));
      }
      return {
        ok: true,
        flowId,
        flowName: name,
        templateVersion: latest!.version,
        issues: bound.issues,
        published,
      };
    },

    /** Whether the flow came from a template, and whether a newer version waits (with the diff). */
    async status(actor: Actor, brandSlug: string, flowRef: string): Promise<TemplateStatus | null> {
      const brand = await brandFor(actor, brandSlug, 'brand.read');
      const flow = await flowOf(brand.id, flowRef);
      return statusOf(flow);
    },

    /** The flows of a brand made from templates, with their status (the flow list's badges). */
    async statusesOfBrand(actor: Actor, brandSlug: string): Promise<Map<string, TemplateStatus>> {
      const brand = await brandFor(actor, brandSlug, 'brand.read');
      const rows = await deps.db
        .select()
        .from(flows)
        .where(and(eq(flows.brandId, brand.id), isNotNull(flows.templateVersionId)));
      const out = new Map<string, TemplateStatus>();
      for (const row of rows) {
        const s = await statusOf(row, false);
        if (s) out.set(row.id, s);
      }
      return out;
    },

    /**
     * Re-binds the latest version of the flow's template with the flow's own bindings into the
     * flow's draft (the live version runs on until it is published). Nothing changes when the
     * new version does not bind for this brand: its issues say why.
     */
    async update(actor: Actor, brandSlug: string, flowRef: string): Promise<UpdateOutcome> {
      const brand = await brandFor(actor, brandSlug, 'templates.use');
      const flow = await flowOf(brand.id, flowRef);
      const status = await statusOf(flow, false);
      if (!status)
        throw new ServiceError(
          'flow_not_from_template',
          `"${flow.name}" was not made from a template`,
          'flow',
        );
      if (!status.updateAvailable) return { ok: true, version: status.version, unchanged: true };
      const [latest] = await versionsOf(status.templateId);
      const context = await loadBrandContext(deps.db, brand.id);
      const bound = bindTemplate(latest!.document, status.bindings, context);
      if (!bound.ok) return { ok: false, issues: bound.issues };
      const draft = { ...bound.doc, name: flow.name };
      await deps.db.transaction(async (tx) => {
        await tx
          .update(flows)
          .set({
            draft: draft as unknown as Record<string, unknown>,
            templateVersionId: latest!.id,
            updatedAt: sql`now()`,
          })
          .where(eq(flows.id, flow.id));
        await deps.audit.record(
          {
            actor,
            action: 'flow_template.updated',
            organizationId: brand.organizationId,
            brandId: brand.id,
            target: { type: 'flow', id: flow.id },
            details: { name: status.templateName, version: latest!.version, flowName: flow.name },
          },
          tx,
        );
      });
      return { ok: true, version: latest!.version, unchanged: false };
    },

    /**
     * What a binding form offers for each kind of parameter: the brand's own coupon pools,
     * menus, tags, QR scenes and message templates.
     */
    async bindingChoices(actor: Actor, brandSlug: string) {
      const brand = await brandFor(actor, brandSlug, 'brand.read');
      const context = await loadBrandContext(deps.db, brand.id);
      return {
        couponPool: context.couponPools,
        menu: context.menus,
        tag: context.tags,
        qrScene: context.qrScenes ?? [],
        template: (context.messageTemplates ?? []).map((t) => t.name),
      };
    },

    /** The brand's flows (not archived), by name: what "Save as template" offers. */
    async flowsOfBrand(actor: Actor, brandSlug: string): Promise<{ id: string; name: string }[]> {
      const brand = await brandFor(actor, brandSlug, 'brand.read');
      return deps.db
        .select({ id: flows.id, name: flows.name })
        .from(flows)
        .where(and(eq(flows.brandId, brand.id), sql`${flows.status} <> 'archived'`))
        .orderBy(flows.name);
    },

    /** Whether the actor may publish to the library of the brand's organization. */
    async canPublish(actor: Actor, brandSlug: string): Promise<boolean> {
      if (actor.kind === 'operator') return true;
      const org = await organizationOfBrand(brandSlug);
      if (!org) return false;
      const role = await roleInOrg(actor.userId, org.id, false);
      return role !== null && can(role, 'templates.publish');
    },

    /** The organization a brand belongs to (null: none yet). */
    organizationOfBrand,
  };

  /** A flow's live version, else its draft (or the draft when asked). */
  async function exportedDocument(
    flow: typeof flows.$inferSelect,
    draft = false,
  ): Promise<unknown> {
    if (draft || !flow.liveVersionId) return flow.draft;
    const [live] = await deps.db
      .select({ document: flowVersions.document })
      .from(flowVersions)
      .where(eq(flowVersions.id, flow.liveVersionId));
    return live ? live.document : flow.draft;
  }

  async function statusOf(
    flow: typeof flows.$inferSelect,
    withDiff = true,
  ): Promise<TemplateStatus | null> {
    if (!flow.templateVersionId) return null;
    const [current] = await deps.db
      .select({
        templateId: flowTemplateVersions.templateId,
        version: flowTemplateVersions.version,
        document: flowTemplateVersions.document,
        name: flowTemplates.name,
      })
      .from(flowTemplateVersions)
      .innerJoin(flowTemplates, eq(flowTemplates.id, flowTemplateVersions.templateId))
      .where(eq(flowTemplateVersions.id, flow.templateVersionId));
    if (!current) return null;
    const [latest] = await versionsOf(current.templateId);
    const updateAvailable = latest!.version > current.version;
    return {
      templateId: current.templateId,
      templateName: current.name,
      version: current.version,
      latestVersion: latest!.version,
      updateAvailable,
      bindings: flow.templateBindings ?? {},
      diff:
        updateAvailable && withDiff
          ? diffFlows(asDraft(current.document), asDraft(latest!.document))
          : null,
    };
  }
}

/** Bindings as strings, trimmed; an empty value means "use the default". */
function cleanBindings(values: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) {
    const value = typeof v === 'string' ? v.trim() : '';
    if (value) out[k] = value;
  }
  return out;
}

export type FlowTemplatesService = ReturnType<typeof createFlowTemplates>;
