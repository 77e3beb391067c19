/**
 * The audit log: who did what, per brand and organization, in the same transaction as the
 * change it records (pass the transaction as `db`). Admins read it per brand.
 */
import { and, desc, eq, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { auditLog, users } from '../../db/schema';
import { actorLabel, OPERATOR, type Actor, type Executor, type ServiceDeps } from '../deps';

/**
 * Every action the log records (the page translates each name, `audit.actions.*`). The flow,
 * menu, settings and resource ones are recorded by the functions that make those changes
 * (services/flows, tags, qr, coupons, menus, brands/settings), inside their transaction.
 */
export const AUDIT_ACTIONS = [
  'setup.completed',
  'organization.created',
  'brand.created',
  'brand.adopted',
  'member.added',
  'member.invited',
  'invitation.accepted',
  'user.created',
  'user.password_changed',
  'flow.published',
  'flow.paused',
  'flow.resumed',
  'flow.archived',
  'flow.version_restored',
  'menu.published',
  'settings.changed',
  'credentials.changed',
  'member.removed',
  'member.role_changed',
  'invitation.revoked',
  'apikey.created',
  'apikey.revoked',
  'tag.created',
  'tag.deleted',
  'qr.created',
  'coupon_pool.created',
  'message_templates.synced',
  'flow_template.published',
  'flow_template.used',
  'flow_template.updated',
  'test_follower.marked',
  'test_follower.unmarked',
  'test_send.sent',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  actor: Actor;
  action: AuditAction;
  organizationId?: string | null;
  brandId?: string | null;
  target?: { type: string; id: string };
  details?: Record<string, unknown>;
}

export const isAuditAction = (value: unknown): value is AuditAction =>
  typeof value === 'string' && (AUDIT_ACTIONS as readonly string[]).includes(value);

/**
 * Writes one entry (`organizationId` left out: the brand's). Pass the transaction that makes the change as `db`: the entry commits
 * with it or not at all. `at` defaults to the database's clock.
 */
export async function recordAudit(db: Executor, entry: AuditEntry, at?: Date): Promise<void> {
  await db.insert(auditLog).values({
    // Left out for a brand's entry: the brand's organization.
    organizationId:
      entry.organizationId === undefined && entry.brandId
        ? sql`(select organization_id from brands where id = ${entry.brandId})`
        : (entry.organizationId ?? null),
    brandId: entry.brandId ?? null,
    actorUserId: entry.actor.kind === 'user' ? entry.actor.userId : null,
    actorLabel: actorLabel(entry.actor),
    action: entry.action,
    targetType: entry.target?.type ?? null,
    targetId: entry.target?.id ?? null,
    details: entry.details ?? {},
    ...(at ? { at } : {}),
  });
}

/** The id `flow_versions.published_by` and `invitations.invited_by` keep: null for the operator. */
export const actorUserId = (actor: Actor): string | null =>
  actor.kind === 'user' ? actor.userId : null;

/** Who the brand log's filter may name: a user's id, or the operator's CLI. */
export const OPERATOR_FILTER = 'operator';

export const AUDIT_PAGE_SIZE = 50;

export interface BrandAuditEntry extends AuditRecord {
  /** The user's name as it is now (else their email); the recorded label once deleted. */
  actorName: string;
}

export interface BrandAuditPage {
  entries: BrandAuditEntry[];
  /** Pass as `before` for the next (older) page; null on the last one. */
  nextBefore: string | null;
}

export interface AuditRecord {
  id: string;
  at: Date;
  actorUserId: string | null;
  actorLabel: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
}

export function createAudit(deps: ServiceDeps) {
  return {
    async record(entry: AuditEntry, db: Executor = deps.db): Promise<void> {
      await recordAudit(db, entry, deps.now?.());
    },

    /**
     * One page of a brand's log, newest first, keyset-paged on the id: only rows of `brandId`
     * (the caller's `member.brand.id`), whatever the filters say. `action` keeps one kind of
     * entry (unknown names are ignored); `actor` keeps one person's (a user id, or
     * OPERATOR_FILTER for the CLI's).
     */
    async listBrand(
      brandId: string,
      page: { before?: string | null; action?: string | null; actor?: string | null } = {},
      limit = AUDIT_PAGE_SIZE,
    ): Promise<BrandAuditPage> {
      const where: SQL[] = [eq(auditLog.brandId, brandId)];
      if (page.before && /^\d{1,18}$/.test(page.before))
        where.push(lt(auditLog.id, BigInt(page.before)));
      if (isAuditAction(page.action)) where.push(eq(auditLog.action, page.action));
      if (page.actor === OPERATOR_FILTER)
        where.push(isNull(auditLog.actorUserId), eq(auditLog.actorLabel, actorLabel(OPERATOR)));
      else if (page.actor && UUID.test(page.actor))
        where.push(eq(auditLog.actorUserId, page.actor));
      const rows = await deps.db
        .select({
          id: auditLog.id,
          at: auditLog.at,
          actorUserId: auditLog.actorUserId,
          actorLabel: auditLog.actorLabel,
          actorName: sql<string>`coalesce(nullif(${users.name}, ''), ${users.email}, ${auditLog.actorLabel})`,
          action: auditLog.action,
          targetType: auditLog.targetType,
          targetId: auditLog.targetId,
          details: auditLog.details,
        })
        .from(auditLog)
        .leftJoin(users, eq(users.id, auditLog.actorUserId))
        .where(and(...where))
        .orderBy(desc(auditLog.id))
        .limit(limit + 1);
      const entries = rows.slice(0, limit).map((r) => ({ ...r, id: String(r.id) }));
      return {
        entries,
        nextBefore: rows.length > limit ? (entries[entries.length - 1]?.id ?? null) : null,
      };
    },

    /** The people who appear in a brand's log (for its filter), by name. */
    async brandActors(brandId: string): Promise<{ id: string; name: string }[]> {
      const rows = await deps.db
        .selectDistinct({
          userId: auditLog.actorUserId,
          name: sql<string>`coalesce(nullif(${users.name}, ''), ${users.email}, ${auditLog.actorLabel})`,
        })
        .from(auditLog)
        .leftJoin(users, eq(users.id, auditLog.actorUserId))
        .where(eq(auditLog.brandId, brandId));
      // A deleted user's rows keep their label but lose the id: they cannot be told apart.
      const seen = new Map<string, string>();
      for (const r of rows) {
        const id = r.userId ?? (r.name === actorLabel(OPERATOR) ? OPERATOR_FILTER : null);
        if (id && !seen.has(id)) seen.set(id, r.name);
      }
      return [...seen]
        .map(([id, name]) => ({ id, name }))
        .sort((a, b) => a.name.localeCompare(b.name));
    },

    /** Newest first; `before` (an entry id) pages back. */
    async list(
      scope: { brandId: string } | { organizationId: string },
      page: { limit?: number; before?: string } = {},
    ): Promise<AuditRecord[]> {
      const where: SQL[] = [
        'brandId' in scope
          ? eq(auditLog.brandId, scope.brandId)
          : eq(auditLog.organizationId, scope.organizationId),
      ];
      if (page.before && /^\d{1,19}$/.test(page.before))
        where.push(lt(auditLog.id, BigInt(page.before)));
      const rows = await deps.db
        .select({
          id: auditLog.id,
          at: auditLog.at,
          actorUserId: auditLog.actorUserId,
          actorLabel: auditLog.actorLabel,
          action: auditLog.action,
          targetType: auditLog.targetType,
          targetId: auditLog.targetId,
          details: auditLog.details,
        })
        .from(auditLog)
        .where(and(...where))
        .orderBy(desc(auditLog.id))
        .limit(Math.min(Math.max(page.limit ?? 50, 1), 200));
      return rows.map((r) => ({ ...r, id: String(r.id) }));
    },
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type AuditService = ReturnType<typeof createAudit>;
