/**
 * Invitations: an admin invites an email with a role, in the organization or one brand; the
 * link (shown once to copy, or mailed where a mail server is set up) carries a random token,
 * the table its SHA-256. Accepting creates the account with a password — or, when the email
 * already has an account, joins it after the person proved it is theirs (signed in); an
 * invitation never sets an existing account's password.
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { brands, invitations, memberships, organizations } from '../../db/schema';
import type { AuditService } from '../audit';
import { clockOf, type Actor, type Executor, type ServiceDeps } from '../deps';
import { ServiceError } from '../errors';
import type { MembershipsService } from '../members/memberships';
import { canAssign, higherRole, isRole, type Role } from '../members/roles';
import { parseEmail, type User, type UsersService } from './users';

export const INVITATION_TTL_MS = 7 * 24 * 3600_000;

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export interface InvitationView {
  id: string;
  email: string;
  role: Role;
  organizationId: string;
  organizationName: string;
  brandId: string | null;
  brandName: string | null;
  expiresAt: Date;
  /** The email has an account already: accepting means signing in, not choosing a password. */
  accountExists: boolean;
}

export type InvitationProblem = 'invitation_unknown' | 'invitation_expired' | 'invitation_used';

export function createInvitations(
  deps: ServiceDeps & { users: UsersService; memberships: MembershipsService; audit: AuditService },
) {
  const now = clockOf(deps);

  /** The actor's role where the invitation applies (operator: owner). */
  async function actorRole(
    actor: Actor,
    organizationId: string,
    brandSlug: string | null,
  ): Promise<Role | null> {
    if (actor.kind === 'operator') return 'owner';
    if (brandSlug)
      return (await deps.memberships.roleInBrand(actor.userId, brandSlug))?.role ?? null;
    return deps.memberships.roleInOrganization(actor.userId, organizationId);
  }

  async function view(token: string): Promise<InvitationView | InvitationProblem> {
    const [row] = await deps.db
      .select({
        id: invitations.id,
        email: invitations.email,
        role: invitations.role,
        organizationId: invitations.organizationId,
        organizationName: organizations.name,
        brandId: invitations.brandId,
        brandName: brands.name,
        expiresAt: invitations.expiresAt,
        acceptedAt: invitations.acceptedAt,
        revokedAt: invitations.revokedAt,
      })
      .from(invitations)
      .innerJoin(organizations, eq(organizations.id, invitations.organizationId))
      .leftJoin(brands, eq(brands.id, invitations.brandId))
      .where(eq(invitations.tokenHash, tokenHash(token)));
    if (!row || row.revokedAt) return 'invitation_unknown';
    if (row.acceptedAt) return 'invitation_used';
    if (row.expiresAt <= now()) return 'invitation_expired';
    const { acceptedAt: _a, revokedAt: _r, ...rest } = row;
    return { ...rest, accountExists: (await deps.users.byEmail(row.email)) !== null };
  }

  const problemError = (problem: InvitationProblem) =>
    new ServiceError(
      problem,
      {
        invitation_unknown: 'this invitation link is not valid (it may have been replaced)',
        invitation_expired: 'this invitation has expired; ask for a new one',
        invitation_used: 'this invitation has been used already',
      }[problem],
    );

  /** Marks the invitation used and gives the role, in one transaction (a link works once). */
  async function join(token: string, memberOf: (tx: Executor) => Promise<User>): Promise<User> {
    return deps.db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(invitations)
        .where(eq(invitations.tokenHash, tokenHash(token)))
        .for('update');
      if (!row || row.revokedAt) throw problemError('invitation_unknown');
      if (row.acceptedAt) throw problemError('invitation_used');
      if (row.expiresAt <= now()) throw problemError('invitation_expired');
      const member = await memberOf(tx);
      if (member.email !== row.email) {
        throw new ServiceError('invitation_other_email', `this invitation is for ${row.email}`);
      }
      // Accepting never lowers a role the person already holds at that level.
      const [held] = await tx
        .select({ role: memberships.role })
        .from(memberships)
        .where(
          and(
            eq(memberships.userId, member.id),
            eq(memberships.organizationId, row.organizationId),
            row.brandId ? eq(memberships.brandId, row.brandId) : isNull(memberships.brandId),
          ),
        );
      const role = held ? higherRole(held.role, row.role) : row.role;
      await deps.memberships.grant(
        { userId: member.id, organizationId: row.organizationId, brandId: row.brandId, role },
        tx,
      );
      await tx
        .update(invitations)
        .set({ acceptedAt: now(), acceptedBy: member.id })
        .where(eq(invitations.id, row.id));
      await deps.audit.record(
        {
          actor: { kind: 'user', userId: member.id, email: member.email },
          action: 'invitation.accepted',
          organizationId: row.organizationId,
          brandId: row.brandId,
          target: { type: 'user', id: member.id },
          details: { role },
        },
        tx,
      );
      return member;
    });
  }

  return {
    /**
     * A new invitation; earlier open ones for the same email and place are withdrawn, so
     * only the newest link works. Returns the token (for the link) once.
     */
    async create(
      actor: Actor,
      input: { organizationId: string; brandSlug?: string | null; email: unknown; role: unknown },
    ): Promise<{ token: string; id: string; email: string; role: Role; expiresAt: Date }> {
      const email = parseEmail(input.email);
      if (!isRole(input.role))
        throw new ServiceError('role_invalid', 'choose owner, admin, editor or viewer', 'role');
      const role = input.role;
      let brandId: string | null = null;
      if (input.brandSlug) {
        const [brand] = await deps.db
          .select({ id: brands.id, organizationId: brands.organizationId })
          .from(brands)
          .where(eq(brands.slug, input.brandSlug));
        if (!brand || brand.organizationId !== input.organizationId) {
          throw new ServiceError(
            'brand_not_in_organization',
            'the brand belongs to another organization (or none)',
          );
        }
        brandId = brand.id;
      }
      const mine = await actorRole(actor, input.organizationId, input.brandSlug ?? null);
      if (!mine || !canAssign(mine, role)) {
        throw new ServiceError(
          'role_not_allowed',
          `you may not invite someone as ${role}`,
          'role',
          { role },
        );
      }
      const token = randomBytes(32).toString('base64url');
      const at = now();
      const expiresAt = new Date(at.getTime() + INVITATION_TTL_MS);
      const id = await deps.db.transaction(async (tx) => {
        await tx
          .update(invitations)
          .set({ revokedAt: at })
          .where(
            and(
              eq(invitations.organizationId, input.organizationId),
              brandId ? eq(invitations.brandId, brandId) : isNull(invitations.brandId),
              eq(invitations.email, email),
              isNull(invitations.acceptedAt),
              isNull(invitations.revokedAt),
            ),
          );
        const [row] = await tx
          .insert(invitations)
          .values({
            organizationId: input.organizationId,
            brandId,
            email,
            role,
            tokenHash: tokenHash(token),
            invitedBy: actor.kind === 'user' ? actor.userId : null,
            createdAt: at,
            expiresAt,
          })
          .returning({ id: invitations.id });
        await deps.audit.record(
          {
            actor,
            action: 'member.invited',
            organizationId: input.organizationId,
            brandId,
            target: { type: 'invitation', id: row!.id },
            details: { email, role },
          },
          tx,
        );
        return row!.id;
      });
      return { token, id, email, role, expiresAt };
    },

    /** What the invitation page shows, or why the link does not work. */
    view,

    /** Accepts for a new account: the name and password chosen on the invitation page. */
    async acceptNew(token: string, input: { name?: unknown; password: unknown }): Promise<User> {
      const invitation = await view(token);
      if (typeof invitation === 'string') throw problemError(invitation);
      if (invitation.accountExists) {
        throw new ServiceError(
          'invitation_account_exists',
          'this email has an account: sign in to accept',
        );
      }
      return join(token, (tx) => deps.users.create({ ...input, email: invitation.email }, tx));
    },

    /** Accepts for a user who has signed in (their email must be the invited one). */
    async acceptAs(token: string, user: User): Promise<User> {
      return join(token, async () => user);
    },
  };
}

export type InvitationsService = ReturnType<typeof createInvitations>;
