/**
 * A brand's team on a real PostgreSQL: who has access and how (organization or brand), open
 * invitations, and an admin's changes — a brand role changed or removed, an invitation
 * withdrawn — with their limits (never above one's own role, never oneself, never the last
 * owner) and one audit row each.
 */
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type DbHandle } from '../../db/client';
import { auditLog, brands } from '../../db/schema';
import { SecretBox } from '../../services/secrets';
import { createServices, type Services } from '../../services';
import { OPERATOR, type Actor } from '../../services/deps';
import { insertBrand, type TestBrand } from '../support/brands';
import type { TestDatabase } from '../support/databases';
import { ownDatabase } from '../support/own-database';

const box = new SecretBox(randomBytes(32).toString('hex'));
let database: TestDatabase;
let handle: DbHandle;
let s: Services;
let brand: TestBrand;
let owner: Actor & { kind: 'user' };
let admin: Actor & { kind: 'user' };
let editorId: string;

const actorOf = (user: { id: string; email: string }) =>
  ({ kind: 'user', userId: user.id, email: user.email }) as const;

const refusal = (call: Promise<unknown>) =>
  call.then(
    () => null,
    (error: { code?: string }) => error.code,
  );

beforeAll(async () => {
  database = await ownDatabase();
  handle = connect(database.url, { max: 4 });
  s = createServices({ db: handle.db });
  brand = await insertBrand(handle.db, box, { prefix: 'team' });
  const setup = await s.setup.run({
    email: 'owner@example.com',
    password: 'owner password',
    organization: 'Team Org',
  });
  expect(setup.adoptedBrands).toEqual([brand.slug]);
  owner = actorOf((await s.users.byEmail('owner@example.com'))!);
  for (const [email, role] of [
    ['admin@example.com', 'admin'],
    ['editor@example.com', 'editor'],
  ] as const) {
    await s.users.create({ email, password: 'a long password' });
    await s.members.addToBrand(OPERATOR, { brandSlug: brand.slug, email, role });
  }
  admin = actorOf((await s.users.byEmail('admin@example.com'))!);
  editorId = (await s.users.byEmail('editor@example.com'))!.id;
});

afterAll(async () => {
  await handle?.close();
  await database?.drop();
});

describe('a brand team', () => {
  it('lists each member once with the role that counts and where it comes from', async () => {
    const { members } = await s.team.list(brand.id);
    expect(members.map((m) => [m.email, m.role, m.organizationRole, m.brandRole])).toEqual([
      ['admin@example.com', 'admin', null, 'admin'],
      ['editor@example.com', 'editor', null, 'editor'],
      ['owner@example.com', 'owner', 'owner', null],
    ]);
  });

  it('shows an open invitation until it is withdrawn; the withdrawal is audited', async () => {
    const brandRow = (await s.members.memberships.roleInBrand(owner.userId, brand.slug))!.brand;
    const invited = await s.invitations.create(admin, {
      organizationId: brandRow.organizationId,
      brandSlug: brand.slug,
      email: 'new@example.com',
      role: 'editor',
    });
    expect((await s.team.list(brand.id)).invitations).toMatchObject([
      { id: invited.id, email: 'new@example.com', role: 'editor', organizationWide: false },
    ]);
    await s.team.revokeInvitation(admin, { brandId: brand.id, invitationId: invited.id });
    expect((await s.team.list(brand.id)).invitations).toEqual([]);
    expect(await s.invitations.view(invited.token)).toBe('invitation_unknown');
    const rows = await handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.brandId, brand.id), eq(auditLog.action, 'invitation.revoked')));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorLabel: 'admin@example.com' });
  });

  it('an admin changes an editor to viewer and removes them; each once in the audit log', async () => {
    const changed = await s.team.changeRole(admin, {
      brandId: brand.id,
      userId: editorId,
      role: 'viewer',
    });
    expect(changed).toMatchObject({ role: 'viewer', brandRole: 'viewer' });
    expect((await s.members.memberships.roleInBrand(editorId, brand.slug))?.role).toBe('viewer');
    expect(await s.team.remove(admin, { brandId: brand.id, userId: editorId })).toEqual({
      email: 'editor@example.com',
      stillMember: false,
    });
    expect(await s.members.memberships.roleInBrand(editorId, brand.slug)).toBeNull();
    const actions = (
      await handle.db.select().from(auditLog).where(eq(auditLog.brandId, brand.id))
    ).map((r) => r.action);
    expect(actions.filter((a) => a === 'member.role_changed')).toHaveLength(1);
    expect(actions.filter((a) => a === 'member.removed')).toHaveLength(1);
  });

  it('refuses what the rules forbid, changing nothing', async () => {
    const before = await s.team.list(brand.id);
    // An admin cannot make anyone an owner, nor touch the owner.
    await s.users.create({ email: 'v@example.com', password: 'a long password' });
    await s.members.addToBrand(OPERATOR, {
      brandSlug: brand.slug,
      email: 'v@example.com',
      role: 'viewer',
    });
    const viewerId = (await s.users.byEmail('v@example.com'))!.id;
    const afterAdd = await s.team.list(brand.id);
    expect(
      await refusal(
        s.team.changeRole(admin, { brandId: brand.id, userId: viewerId, role: 'owner' }),
      ),
    ).toBe('role_not_allowed');
    expect(
      await refusal(
        s.team.changeRole(admin, { brandId: brand.id, userId: owner.userId, role: 'viewer' }),
      ),
    ).toBe('role_not_allowed');
    // Nobody changes their own role; the owner's comes from the organization anyway.
    expect(
      await refusal(
        s.team.changeRole(admin, { brandId: brand.id, userId: admin.userId, role: 'editor' }),
      ),
    ).toBe('member_self');
    expect(await refusal(s.team.remove(admin, { brandId: brand.id, userId: owner.userId }))).toBe(
      'member_via_organization',
    );
    // A viewer manages nobody; an unknown role is refused before anything else.
    const viewer = actorOf((await s.users.byEmail('v@example.com'))!);
    expect(await refusal(s.team.remove(viewer, { brandId: brand.id, userId: admin.userId }))).toBe(
      'role_not_allowed',
    );
    expect(
      await refusal(
        s.team.changeRole(owner, { brandId: brand.id, userId: viewerId, role: 'boss' }),
      ),
    ).toBe('role_invalid');
    expect(await s.team.list(brand.id)).toEqual(afterAdd);
    expect(afterAdd.members).toHaveLength(before.members.length + 1);
  });

  it('keeps the last owner: even the operator cannot demote or remove a brand’s only owner', async () => {
    const elsewhere = await s.members.organizations.create('Elsewhere');
    const other = await insertBrand(handle.db, box, { prefix: 'team-b' });
    await handle.db
      .update(brands)
      .set({ organizationId: elsewhere.id })
      .where(eq(brands.id, other.id));
    await s.users.create({ email: 'solo@example.com', password: 'a long password' });
    await s.members.addToBrand(OPERATOR, {
      brandSlug: other.slug,
      email: 'solo@example.com',
      role: 'owner',
    });
    const soloId = (await s.users.byEmail('solo@example.com'))!.id;
    expect(
      await refusal(
        s.team.changeRole(OPERATOR, { brandId: other.id, userId: soloId, role: 'viewer' }),
      ),
    ).toBe('last_owner');
    expect(await refusal(s.team.remove(OPERATOR, { brandId: other.id, userId: soloId }))).toBe(
      'last_owner',
    );
    expect((await s.members.memberships.roleInBrand(soloId, other.slug))?.role).toBe('owner');
  });
});
