/**
 * Who may see which brand, with which role. A membership is held in an organization (every
 * brand of it) or in one brand; on a brand, a person's role is the higher of the two — a
 * brand membership can raise an organization role, never lower it. A brand without an
 * organization, or of an organization the user is not in, does not exist for them (404).
 */
import { and, eq, isNull, or, sql } from 'drizzle-orm';
import { brands, memberships, organizations } from '../../db/schema';
import type { Executor, ServiceDeps } from '../deps';
import { ServiceError } from '../errors';
import { higherRole, type Role } from './roles';

export interface MemberBrand {
  id: string;
  slug: string;
  name: string;
  organizationId: string;
}

export interface BrandMember {
  brand: MemberBrand;
  role: Role;
}

/** The effective role from a user's memberships rows on one brand (null: none). */
export function effectiveRole(rows: readonly { role: Role }[]): Role | null {
  return rows.reduce<Role | null>((best, r) => (best ? higherRole(best, r.role) : r.role), null);
}

export function createMemberships(deps: ServiceDeps) {
  return {
    /** The user's role on the brand `slug`, or null when they may not see it. */
    async roleInBrand(userId: string, slug: string): Promise<BrandMember | null> {
      const rows = await deps.db
        .select({
          brand: {
            id: brands.id,
            slug: brands.slug,
            name: brands.name,
            organizationId: memberships.organizationId,
          },
          role: memberships.role,
        })
        .from(brands)
        .innerJoin(
          memberships,
          and(
            eq(memberships.organizationId, brands.organizationId),
            or(isNull(memberships.brandId), eq(memberships.brandId, brands.id)),
          ),
        )
        .where(and(eq(brands.slug, slug), eq(memberships.userId, userId)));
      const role = effectiveRole(rows);
      return role ? { brand: rows[0]!.brand, role } : null;
    },

    /** Every brand the user can see, with their role on it, by name. */
    async brandsOf(userId: string): Promise<(MemberBrand & { role: Role })[]> {
      const rows = await deps.db
        .select({
          id: brands.id,
          slug: brands.slug,
          name: brands.name,
          organizationId: memberships.organizationId,
          role: memberships.role,
        })
        .from(memberships)
        .innerJoin(
          brands,
          and(
            eq(brands.organizationId, memberships.organizationId),
            or(isNull(memberships.brandId), eq(memberships.brandId, brands.id)),
          ),
        )
        .where(eq(memberships.userId, userId))
        .orderBy(brands.name, brands.slug);
      const byId = new Map<string, MemberBrand & { role: Role }>();
      for (const row of rows) {
        const seen = byId.get(row.id);
        byId.set(row.id, seen ? { ...seen, role: higherRole(seen.role, row.role) } : row);
      }
      return [...byId.values()];
    },

    /** The user's organization-level role (null: none — they may still hold brand roles). */
    async roleInOrganization(userId: string, organizationId: string): Promise<Role | null> {
      const [row] = await deps.db
        .select({ role: memberships.role })
        .from(memberships)
        .where(
          and(
            eq(memberships.userId, userId),
            eq(memberships.organizationId, organizationId),
            isNull(memberships.brandId),
          ),
        );
      return row?.role ?? null;
    },

    /** Organizations the user belongs to (by any membership). */
    async organizationsOf(userId: string) {
      return deps.db
        .selectDistinct({
          id: organizations.id,
          name: organizations.name,
          slug: organizations.slug,
        })
        .from(memberships)
        .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
        .where(eq(memberships.userId, userId))
        .orderBy(organizations.name);
    },

    /**
     * Gives a user a role in an organization, or in one of its brands (`brandId`); an existing
     * membership at that level takes the new role.
     */
    async grant(
      input: { userId: string; organizationId: string; brandId?: string | null; role: Role },
      db: Executor = deps.db,
    ): Promise<void> {
      const brandId = input.brandId ?? null;
      if (brandId) {
        const [brand] = await db
          .select({ organizationId: brands.organizationId })
          .from(brands)
          .where(eq(brands.id, brandId));
        if (brand?.organizationId !== input.organizationId) {
          throw new ServiceError(
            'brand_not_in_organization',
            'the brand belongs to another organization (or none)',
          );
        }
      }
      await db
        .insert(memberships)
        .values({
          userId: input.userId,
          organizationId: input.organizationId,
          brandId,
          role: input.role,
        })
        .onConflictDoUpdate({
          target: brandId
            ? [memberships.userId, memberships.brandId]
            : [memberships.userId, memberships.organizationId],
          targetWhere: brandId
            ? sql`${memberships.brandId} is not null`
            : sql`${memberships.brandId} is null`,
          set: { role: input.role },
        });
    },
  };
}

export type MembershipsService = ReturnType<typeof createMemberships>;
