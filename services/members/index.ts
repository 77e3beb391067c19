/**
 * Members: requireMember's core (which brand a user may see, with which role), adding members
 * and choosing a new brand's organization.
 */
import { eq } from 'drizzle-orm';
import { brands } from '../../db/schema';
import type { AuditService } from '../audit';
import type { Actor, ServiceDeps } from '../deps';
import { ServiceError } from '../errors';
import type { UsersService } from '../auth/users';
import { createMemberships, type BrandMember } from './memberships';
import { createOrganizations, type Organization } from './organizations';
import { atLeast, canAssign, isRole, type Role } from './roles';

export type Access =
  | { ok: true; member: BrandMember }
  /** 404: not a member (the brand does not exist for them); 403: a member below `need`. */
  | { ok: false; status: 404 }
  | { ok: false; status: 403; role: Role; need: Role };

/** The rule every loader and action applies: not a member → 404, below the role → 403. */
export function decideAccess(member: BrandMember | null, need: Role): Access {
  if (!member) return { ok: false, status: 404 };
  if (!atLeast(member.role, need)) return { ok: false, status: 403, role: member.role, need };
  return { ok: true, member };
}

export function createMembers(deps: ServiceDeps & { users: UsersService; audit: AuditService }) {
  const memberships = createMemberships(deps);
  const organizations = createOrganizations(deps);

  return {
    memberships,
    organizations,

    /** The user's access to the brand `slug` at role `need`. */
    async access(userId: string, slug: string, need: Role): Promise<Access> {
      return decideAccess(await memberships.roleInBrand(userId, slug), need);
    },

    /**
     * A new user (the operator's `user create`), with `role` (default owner) in the organization
     * `organization` — found by slug or name, else created (the first one adopts the brands made
     * before accounts). One transaction: nothing is left half-made.
     */
    async createUser(
      actor: Actor,
      input: {
        email: unknown;
        name?: unknown;
        password: unknown;
        organization?: string;
        role?: unknown;
      },
    ): Promise<{
      user: { id: string; email: string };
      organization: (Organization & { created: boolean; adoptedBrands: string[] }) | null;
      role: Role | null;
    }> {
      const role = input.role ?? 'owner';
      if (!isRole(role))
        throw new ServiceError('role_invalid', 'choose owner, admin, editor or viewer', 'role');
      return deps.db.transaction(async (tx) => {
        const user = await deps.users.create(input, tx);
        await deps.audit.record(
          {
            actor,
            action: 'user.created',
            target: { type: 'user', id: user.id },
            details: { email: user.email },
          },
          tx,
        );
        if (!input.organization) return { user, organization: null, role: null };
        const found = await organizations.find(input.organization, tx);
        const organization = found
          ? { ...found, created: false, adoptedBrands: [] as string[] }
          : { ...(await organizations.create(input.organization, tx)), created: true };
        if (organization.created) {
          await deps.audit.record(
            {
              actor,
              action: 'organization.created',
              organizationId: organization.id,
              target: { type: 'organization', id: organization.id },
              details: { name: organization.name, adoptedBrands: organization.adoptedBrands },
            },
            tx,
          );
        }
        await memberships.grant({ userId: user.id, organizationId: organization.id, role }, tx);
        await deps.audit.record(
          {
            actor,
            action: 'member.added',
            organizationId: organization.id,
            target: { type: 'user', id: user.id },
            details: { email: user.email, role },
          },
          tx,
        );
        return { user, organization, role };
      });
    },

    /** Gives an existing user a role on one brand (the CLI's `member add`). */
    async addToBrand(
      actor: Actor,
      input: { brandSlug: string; email: string; role: unknown },
    ): Promise<{ userId: string; brandId: string; role: Role }> {
      if (!isRole(input.role)) {
        throw new ServiceError('role_invalid', 'choose owner, admin, editor or viewer', 'role');
      }
      const role = input.role;
      const [brand] = await deps.db
        .select({ id: brands.id, organizationId: brands.organizationId })
        .from(brands)
        .where(eq(brands.slug, input.brandSlug));
      if (!brand)
        throw new ServiceError('brand_unknown', `no brand with slug "${input.brandSlug}"`, 'brand');
      if (!brand.organizationId) {
        throw new ServiceError(
          'brand_without_organization',
          `brand "${input.brandSlug}" belongs to no organization yet; complete first-run setup (/setup or fanfare user create --org) first`,
          'brand',
        );
      }
      if (actor.kind === 'user') {
        const mine = (await memberships.roleInBrand(actor.userId, input.brandSlug))?.role;
        if (!mine || !canAssign(mine, role)) {
          throw new ServiceError('role_not_allowed', `you may not give the role ${role}`, 'role', {
            role,
          });
        }
      }
      const user = await deps.users.byEmail(input.email);
      if (!user) {
        throw new ServiceError(
          'user_unknown',
          `no user with email ${input.email} (create one, or invite them)`,
          'email',
        );
      }
      await deps.db.transaction(async (tx) => {
        await memberships.grant(
          { userId: user.id, organizationId: brand.organizationId!, brandId: brand.id, role },
          tx,
        );
        await deps.audit.record(
          {
            actor,
            action: 'member.added',
            organizationId: brand.organizationId,
            brandId: brand.id,
            target: { type: 'user', id: user.id },
            details: { email: user.email, role },
          },
          tx,
        );
      });
      return { userId: user.id, brandId: brand.id, role };
    },

    /**
     * The organization a new brand goes to: the one named; else the only one there is; else
     * none (the first organization adopts it). Several and none named is an error.
     */
    async organizationForNewBrand(name?: string): Promise<Organization | null> {
      if (name) {
        const found = await organizations.find(name);
        if (!found)
          throw new ServiceError('organization_unknown', `no organization named "${name}"`, 'org');
        return found;
      }
      const all = await organizations.list();
      if (all.length <= 1) return all[0] ?? null;
      throw new ServiceError(
        'organization_required',
        `there are ${all.length} organizations; name one with --org (${all.map((o) => o.slug).join(', ')})`,
        'org',
      );
    },
  };
}

export type MembersService = ReturnType<typeof createMembers>;
