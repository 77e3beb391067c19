/**
 * First-run setup: while no user exists, the first person creates their account and the
 * organization, becomes its owner, and the organization adopts every brand made before
 * accounts existed. Once any user exists, setup is closed for good.
 */
import { sql } from 'drizzle-orm';
import { users } from '../../db/schema';
import type { AuditService } from '../audit';
import type { ServiceDeps } from '../deps';
import { ServiceError, collectProblems } from '../errors';
import type { MembershipsService } from '../members/memberships';
import {
  parseOrganizationName,
  type Organization,
  type OrganizationsService,
} from '../members/organizations';
import { checkPassword, parseEmail, parseName, type User, type UsersService } from './users';

/** Serialises concurrent setups (two browsers on a fresh install): one wins, one is refused. */
const SETUP_LOCK = sql`select pg_advisory_xact_lock(hashtext('fanfare:first-run-setup'))`;

export interface SetupResult {
  user: User;
  organization: Organization;
  adoptedBrands: string[];
}

type SetupInput = { email: unknown; name?: unknown; password: unknown; organization: unknown };

/** Every problem with the setup form's fields (none: run() may proceed). */
export function checkSetup(input: SetupInput): ServiceError[] {
  return collectProblems([
    () => parseOrganizationName(input.organization),
    () => parseName(input.name),
    () => parseEmail(input.email),
    () => checkPassword(input.password),
  ]);
}

export function createSetup(
  deps: ServiceDeps & {
    users: UsersService;
    organizations: OrganizationsService;
    memberships: MembershipsService;
    audit: AuditService;
  },
) {
  return {
    /** True while no user exists. */
    async isOpen(): Promise<boolean> {
      return (await deps.users.count()) === 0;
    },

    check: checkSetup,

    async run(input: SetupInput): Promise<SetupResult> {
      // Check every field before the slow hash and the transaction.
      const [problem] = checkSetup(input);
      if (problem) throw problem;
      return deps.db.transaction(async (tx) => {
        await tx.execute(SETUP_LOCK);
        const [{ n } = { n: 0 }] = await tx.select({ n: sql<number>`count(*)::int` }).from(users);
        if (n > 0)
          throw new ServiceError('setup_done', 'setup is done: an account exists already; sign in');
        const user = await deps.users.create(input, tx);
        const { adoptedBrands, ...organization } = await deps.organizations.create(
          input.organization,
          tx,
        );
        await deps.memberships.grant(
          { userId: user.id, organizationId: organization.id, role: 'owner' },
          tx,
        );
        const actor = { kind: 'user', userId: user.id, email: user.email } as const;
        await deps.audit.record(
          {
            actor,
            action: 'setup.completed',
            organizationId: organization.id,
            target: { type: 'organization', id: organization.id },
            details: { organization: organization.name, adoptedBrands },
          },
          tx,
        );
        return { user, organization, adoptedBrands };
      });
    },
  };
}
