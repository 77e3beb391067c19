/**
 * A brand's team, as its members page shows and changes it: who has access (through the
 * organization or the brand itself) with which role, the invitations still open, and the
 * changes an admin makes — a brand role changed or removed, an invitation withdrawn. Rules:
 * nobody changes or removes a role above their own (roles.canAssign), nobody changes their
 * own role here, and the brand's last owner stays. Every change is audited in its
 * transaction.
 */
import { and, asc, eq, gt, isNull, or } from 'drizzle-orm';
import { brands, invitations, memberships, users } from '../../db/schema';
import type { AuditService } from '../audit';
import { clockOf, type Actor, type ServiceDeps } from '../deps';
import { ServiceError } from '../errors';
import type { MembershipsService } from './memberships';
import { canAssign, higherRole, isRole, type Role } from './roles';

export interface TeamMember {
  userId: string;
  email: string;
  name: string | null;
  /** The role that counts on this brand (the higher of the two). */
  role: Role;
  /** The role held in the organization (every brand of it), if any. */
  organizationRole: Role | null;
  /** The role held on this brand only, if any — the one this page changes. */
  brandRole: Role | null;
}

export interface OpenInvitation {
  id: string;
  email: string;
  role: Role;
  /** True when it is for the whole organization, not only this brand. */
  organizationWide: boolean;
  createdAt: Date;
  expiresAt: Date;
}

export interface BrandTeam {
  members: TeamMember[];
  invitations: OpenInvitation[];
}

export function createTeam(
  deps: ServiceDeps & { memberships: MembershipsService; audit: AuditService },
) {
  const now = clockOf(deps);

  async function brandOf(brandId: string) {
    const [brand] = await deps.db
      .select({ id: brands.id, slug: brands.slug, organizationId: brands.organizationId })
      .from(brands)
      .where(eq(brands.id, brandId));
    if (!brand?.organizationId) throw new ServiceError('brand_unknown', 'no such brand', 'brand');
    return { ...brand, organizationId: brand.organizationId };
  }

  async function list(brandId: string): Promise<BrandTeam> {
    const brand = await brandOf(brandId);
    const rows = await deps.db
      .select({
        userId: users.id,
        email: users.email,
        name: users.name,
        role: memberships.role,
        brandId: memberships.brandId,
      })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(
        and(
          eq(memberships.organizationId, brand.organizationId),
          or(isNull(memberships.brandId), eq(memberships.brandId, brand.id)),
        ),
      )
      .orderBy(asc(users.email));
    const byUser = new Map<string, TeamMember>();
    for (const row of rows) {
      const member = byUser.get(row.userId) ?? {
        userId: row.userId,
        email: row.email,
        name: row.name,
        role: row.role,
        organizationRole: null,
        brandRole: null,
      };
      if (row.brandId) member.brandRole = row.role;
      else member.organizationRole = row.role;
      member.role = higherRole(member.organizationRole ?? row.role, member.brandRole ?? row.role);
      byUser.set(row.userId, member);
    }
    const open = await deps.db
      .select({
        id: invitations.id,
        email: invitations.email,
        role: invitations.role,
        brandId: invitations.brandId,
        createdAt: invitations.createdAt,
        expiresAt: invitations.expiresAt,
      })
      .from(invitations)
      .where(
        and(
          eq(invitations.organizationId, brand.organizationId),
          or(isNull(invitations.brandId), eq(invitations.brandId, brand.id)),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
          gt(invitations.expiresAt, now()),
        ),
      )
      .orderBy(asc(invitations.createdAt));
    return {
      members: [...byUser.values()],
      invitations: open.map(({ brandId: invitedTo, ...rest }) => ({
        ...rest,
        organizationWide: invitedTo === null,
      })),
    };
  }

  /** The actor's role on the brand; refuses unless they manage members and rank `role`. */
  async function mayAssign(actor: Actor, slug: string, role: Role): Promise<void> {
    const mine =
      actor.kind === 'operator'
        ? 'owner'
        : (await deps.memberships.roleInBrand(actor.userId, slug))?.role;
    if (!mine || !canAssign(mine, role)) {
      throw new ServiceError(
        'role_not_allowed',
        `you may not give or take the role ${role}`,
        'role',
        {
          role,
        },
      );
    }
  }

  /** The member on this brand, refusing the actor themselves. */
  async function memberOf(
    actor: Actor,
    brandId: string,
    userId: string,
  ): Promise<{ member: TeamMember; members: TeamMember[] }> {
    if (actor.kind === 'user' && actor.userId === userId) {
      throw new ServiceError('member_self', 'you cannot change your own role', 'member');
    }
    const { members } = await list(brandId);
    const member = members.find((m) => m.userId === userId);
    if (!member) throw new ServiceError('member_unknown', 'no such member of this brand', 'member');
    return { member, members };
  }

  /**
   * Refuses to leave a brand without an owner: `brandRole` is the member's brand role after
   * the change (null: removed); their organization role still counts.
   */
  function keepAnOwner(
    members: readonly TeamMember[],
    userId: string,
    brandRole: Role | null,
  ): void {
    const after = (m: TeamMember): Role | null => {
      if (m.userId !== userId) return m.role;
      const held = [brandRole, m.organizationRole].filter((r): r is Role => r !== null);
      return held.length ? held.reduce(higherRole) : null;
    };
    if (!members.some((m) => after(m) === 'owner')) {
      throw new ServiceError('last_owner', 'the brand would have no owner left', 'member');
    }
  }

  return {
    list,

    /**
     * Sets a member's role on this brand (a brand membership; their organization role, if
     * any, still counts where it is higher).
     */
    async changeRole(
      actor: Actor,
      input: { brandId: string; userId: string; role: unknown },
    ): Promise<TeamMember> {
      if (!isRole(input.role))
        throw new ServiceError('role_invalid', 'choose owner, admin, editor or viewer', 'role');
      const role = input.role;
      const brand = await brandOf(input.brandId);
      const { member, members } = await memberOf(actor, brand.id, input.userId);
      await mayAssign(actor, brand.slug, higherRole(role, member.role));
      keepAnOwner(members, member.userId, role);
      await deps.db.transaction(async (tx) => {
        await deps.memberships.grant(
          { userId: member.userId, organizationId: brand.organizationId, brandId: brand.id, role },
          tx,
        );
        await deps.audit.record(
          {
            actor,
            action: 'member.role_changed',
            organizationId: brand.organizationId,
            brandId: brand.id,
            target: { type: 'user', id: member.userId },
            details: { email: member.email, role, previousRole: member.brandRole ?? member.role },
          },
          tx,
        );
      });
      return (await list(brand.id)).members.find((m) => m.userId === member.userId)!;
    },

    /**
     * Removes a member's role on this brand. Someone whose access comes from the
     * organization keeps it: that is changed where the organization is managed.
     */
    async remove(
      actor: Actor,
      input: { brandId: string; userId: string },
    ): Promise<{ email: string; stillMember: boolean }> {
      const brand = await brandOf(input.brandId);
      const { member, members } = await memberOf(actor, brand.id, input.userId);
      if (!member.brandRole) {
        throw new ServiceError(
          'member_via_organization',
          'this person has access through the organization, not this brand',
          'member',
        );
      }
      await mayAssign(actor, brand.slug, member.role);
      keepAnOwner(members, member.userId, null);
      await deps.db.transaction(async (tx) => {
        await tx
          .delete(memberships)
          .where(and(eq(memberships.userId, member.userId), eq(memberships.brandId, brand.id)));
        await deps.audit.record(
          {
            actor,
            action: 'member.removed',
            organizationId: brand.organizationId,
            brandId: brand.id,
            target: { type: 'user', id: member.userId },
            details: { email: member.email, role: member.brandRole },
          },
          tx,
        );
      });
      return { email: member.email, stillMember: member.organizationRole !== null };
    },

    /** Withdraws an open invitation of this brand (or its organization): its link stops working. */
    async revokeInvitation(
      actor: Actor,
      input: { brandId: string; invitationId: string },
    ): Promise<{ email: string }> {
      const brand = await brandOf(input.brandId);
      const invitation = (await list(brand.id)).invitations.find(
        (i) => i.id === input.invitationId,
      );
      if (!invitation) {
        throw new ServiceError(
          'invitation_unknown',
          'no open invitation with that id',
          'invitation',
        );
      }
      await mayAssign(actor, brand.slug, invitation.role);
      await deps.db.transaction(async (tx) => {
        await tx
          .update(invitations)
          .set({ revokedAt: now() })
          .where(and(eq(invitations.id, invitation.id), isNull(invitations.revokedAt)));
        await deps.audit.record(
          {
            actor,
            action: 'invitation.revoked',
            organizationId: brand.organizationId,
            brandId: brand.id,
            target: { type: 'invitation', id: invitation.id },
            details: { email: invitation.email, role: invitation.role },
          },
          tx,
        );
      });
      return { email: invitation.email };
    },
  };
}

export type TeamService = ReturnType<typeof createTeam>;
