/**
 * The brand a change is made on, for the actor making it: a member with the permission's role
 * (services/members/roles.ts), or the operator (the CLI, full rights). Not a member — or no
 * such brand — is `brand_unknown`, the same either way; below the role is `forbidden`.
 */
import { eq } from 'drizzle-orm';
import { brands } from '../../db/schema';
import type { Actor, ServiceDeps } from '../deps';
import { ServiceError } from '../errors';
import type { MembershipsService } from '../members/memberships';
import { REQUIRED_ROLE, can, type Permission, type Role } from '../members/roles';

export interface ActedBrand {
  id: string;
  slug: string;
  name: string;
  organizationId: string | null;
}

export function forbidden(role: Role, permission: Permission): ServiceError {
  const need = REQUIRED_ROLE[permission];
  return new ServiceError(
    'forbidden',
    `your role (${role}) may not do this; it needs ${need} or above`,
    undefined,
    { role, need },
  );
}

export function createBrandAccess(deps: ServiceDeps & { memberships: MembershipsService }) {
  return async function brandFor(
    actor: Actor,
    slug: string,
    permission: Permission,
  ): Promise<ActedBrand> {
    const unknown = () =>
      new ServiceError('brand_unknown', `no brand with slug "${slug}"`, 'brand', { slug });
    if (actor.kind === 'operator') {
      const [row] = await deps.db
        .select({
          id: brands.id,
          slug: brands.slug,
          name: brands.name,
          organizationId: brands.organizationId,
        })
        .from(brands)
        .where(eq(brands.slug, slug));
      if (!row) throw unknown();
      return row;
    }
    const member = await deps.memberships.roleInBrand(actor.userId, slug);
    if (!member) throw unknown();
    if (!can(member.role, permission)) throw forbidden(member.role, permission);
    return member.brand;
  };
}

export type BrandFor = ReturnType<typeof createBrandAccess>;
