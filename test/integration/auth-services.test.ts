/**
 * The account use cases on a real PostgreSQL (a database of this file's own, so "no user
 * exists yet" is true at the start): argon2id hashes, sessions that expire, slide, rotate and
 * are revoked, sign-in throttling per account and per address, invitations, first-run setup
 * (once), and requireMember's rule (not a member → 404, below the role → 403).
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type DbHandle } from '../../db/client';
import {
  auditLog,
  brands,
  flowVersions,
  flows,
  invitations,
  loginAttempts,
  sessions,
  users,
} from '../../db/schema';
import { SecretBox } from '../../services/secrets';
import { createServices, type Services } from '../../services';
import {
  SESSION_IDLE_MS,
  SESSION_MAX_MS,
  SESSION_TOUCH_MS,
  sessionIdOf,
} from '../../services/auth/sessions';
import { OPERATOR, type Actor } from '../../services/deps';
import { ServiceError } from '../../services/errors';
import { insertBrand, type TestBrand } from '../support/brands';
import type { TestDatabase } from '../support/databases';
import { ownDatabase } from '../support/own-database';

const MIN = 60_000;
const DAY = 24 * 3600_000;
const box = new SecretBox(randomBytes(32).toString('hex'));

let database: TestDatabase;
let handle: DbHandle;
let clock = new Date('2026-03-01T08:00:00Z');
let s: Services;
const advance = (ms: number) => (clock = new Date(clock.getTime() + ms));

/** The code of the ServiceError `promise` rejects with. */
async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ServiceError) return error.code;
    throw error;
  }
  throw new Error('expected a ServiceError, but the call succeeded');
}

const asUser = (u: { id: string; email: string }): Actor => ({
  kind: 'user',
  userId: u.id,
  email: u.email,
});

let legacy: TestBrand;
let owner: { id: string; email: string };
let orgId: string;

beforeAll(async () => {
  database = await ownDatabase();
  handle = connect(database.url, { max: 4 });
  s = createServices({ db: handle.db, now: () => clock });
  // A brand made before accounts existed: no organization.
  legacy = await insertBrand(handle.db, box, { prefix: 'legacy' });
});

afterAll(async () => {
  await handle?.close();
  await database?.drop();
});

describe('first-run setup', () => {
  it('is open while no user exists, creates the owner and organization, adopts old brands', async () => {
    expect(await s.setup.isOpen()).toBe(true);
    const result = await s.setup.run({
      email: '  Owner@Example.COM ',
      name: '王店长',
      password: 'correct horse battery',
      organization: '猫咖集团 Cat Café Group',
    });
    owner = result.user;
    orgId = result.organization.id;
    expect(result.user.email).toBe('owner@example.com');
    expect(result.organization.slug).toBe('cat-cafe-group');
    expect(result.adoptedBrands).toEqual([legacy.slug]);
    const [brand] = await handle.db.select().from(brands).where(eq(brands.id, legacy.id));
    expect(brand?.organizationId).toBe(orgId);
    expect(await s.setup.isOpen()).toBe(false);
    expect((await s.members.access(owner.id, legacy.slug, 'owner')).ok).toBe(true);
    const [entry] = await s.audit.list({ organizationId: orgId });
    expect(entry).toMatchObject({ action: 'setup.completed', actorLabel: 'owner@example.com' });
  });

  it('is closed once a user exists: a second run is refused and changes nothing', async () => {
    const before = await handle.db.select().from(users);
    const code = await refusal(
      s.setup.run({
        email: 'late@example.com',
        password: 'another password',
        organization: 'Late',
      }),
    );
    expect(code).toBe('setup_done');
    expect(await handle.db.select().from(users)).toEqual(before);
  });

  it('lets exactly one of two concurrent setups win on a fresh database', async () => {
    const fresh = await ownDatabase();
    const h = connect(fresh.url, { max: 4 });
    try {
      const services = createServices({ db: h.db });
      const runs = await Promise.allSettled(
        ['a', 'b'].map((who) =>
          services.setup.run({
            email: `${who}@example.com`,
            password: 'a long password',
            organization: who,
          }),
        ),
      );
      expect(runs.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const rejected = runs.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect((rejected.reason as ServiceError).code).toBe('setup_done');
      expect(await h.db.select().from(users)).toHaveLength(1);
    } finally {
      await h.close();
      await fresh.drop();
    }
  });

  it('refuses bad input field by field before touching the database', async () => {
    const fresh = await ownDatabase();
    const h = connect(fresh.url, { max: 2 });
    try {
      const services = createServices({ db: h.db });
      const base = { email: 'a@example.com', password: 'a long password', organization: 'Org' };
      const cases: [Record<string, string>, string][] = [
        [{ email: 'not an email' }, 'email_invalid'],
        [{ password: 'short' }, 'password_too_short'],
        [{ organization: '   ' }, 'organization_name_missing'],
      ];
      for (const [change, code] of cases) {
        expect(await refusal(services.setup.run({ ...base, ...change }))).toBe(code);
      }
      expect(await services.setup.isOpen()).toBe(true);
    } finally {
      await h.close();
      await fresh.drop();
    }
  });
});

describe('users and passwords', () => {
  it('stores an argon2id hash, never the password, and verifies it', async () => {
    const user = await s.users.create({ email: 'hash@example.com', password: 'pa55word-long' });
    const [row] = await handle.db.select().from(users).where(eq(users.id, user.id));
    expect(row?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row?.passwordHash).not.toContain('pa55word-long');
    expect(await s.users.verifyCredentials('HASH@example.com', 'pa55word-long')).toMatchObject({
      id: user.id,
    });
    expect(await s.users.verifyCredentials('hash@example.com', 'pa55word-lonG')).toBeNull();
    expect(await s.users.verifyCredentials('nobody@example.com', 'pa55word-long')).toBeNull();
  });

  it('treats emails case-insensitively: one account per address', async () => {
    await s.users.create({ email: 'Case@Example.com', password: 'a long password' });
    expect(
      await refusal(s.users.create({ email: 'case@EXAMPLE.com ', password: 'a long password' })),
    ).toBe('email_taken');
  });

  it('changes a password only with the current one', async () => {
    const user = await s.users.create({ email: 'change@example.com', password: 'first password' });
    expect(await refusal(s.users.changePassword(user.id, 'wrong one', 'second password'))).toBe(
      'current_password_wrong',
    );
    expect(await refusal(s.users.changePassword(user.id, 'first password', 'short'))).toBe(
      'password_too_short',
    );
    await s.users.changePassword(user.id, 'first password', 'second password');
    expect(await s.users.verifyCredentials('change@example.com', 'first password')).toBeNull();
    expect(await s.users.verifyCredentials('change@example.com', 'second password')).not.toBeNull();
  });
});

describe('sessions', () => {
  let user: { id: string };
  beforeAll(async () => {
    user = await s.users.create({ email: 'session@example.com', password: 'a long password' });
  });

  it('stores only the SHA-256 of the token', async () => {
    const { token } = await s.sessions.create(user.id, { ip: '203.0.113.9', userAgent: 'test' });
    const rows = await handle.db.select().from(sessions).where(eq(sessions.userId, user.id));
    expect(rows.map((r) => r.id)).toContain(sessionIdOf(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    expect((await s.sessions.lookup(token))?.user.id).toBe(user.id);
    expect(await s.sessions.lookup(`${token}x`)).toBeNull();
    expect(await s.sessions.lookup('')).toBeNull();
  });

  it('ends after the idle limit, and slides while used — up to the absolute limit', async () => {
    const idle = await s.sessions.create(user.id);
    advance(SESSION_IDLE_MS - MIN);
    expect(await s.sessions.lookup(idle.token)).not.toBeNull(); // used: slides
    advance(SESSION_IDLE_MS - MIN);
    expect(await s.sessions.lookup(idle.token)).not.toBeNull(); // still within idle of last use
    advance(SESSION_IDLE_MS + MIN);
    expect(await s.sessions.lookup(idle.token)).toBeNull(); // idle too long

    const busy = await s.sessions.create(user.id);
    for (let t = 0; t < SESSION_MAX_MS - DAY; t += DAY) {
      advance(DAY);
      expect(await s.sessions.lookup(busy.token)).not.toBeNull();
    }
    advance(DAY + MIN);
    expect(await s.sessions.lookup(busy.token)).toBeNull(); // 30 days after sign-in, used daily
  });

  it('writes last_seen_at at most every few minutes', async () => {
    const { token } = await s.sessions.create(user.id);
    const seen = async () =>
      (
        await handle.db
          .select()
          .from(sessions)
          .where(eq(sessions.id, sessionIdOf(token)))
      )[0]!.lastSeenAt;
    const first = await seen();
    advance(SESSION_TOUCH_MS - 1000);
    await s.sessions.lookup(token);
    expect(await seen()).toEqual(first);
    advance(2000);
    await s.sessions.lookup(token);
    expect((await seen()).getTime()).toBe(clock.getTime());
  });

  it('is revoked, and rotation replaces the token', async () => {
    const a = await s.sessions.create(user.id);
    await s.sessions.revoke(a.token);
    expect(await s.sessions.lookup(a.token)).toBeNull();
    expect(await s.sessions.rotate(a.token)).toBeNull(); // a revoked session cannot be rotated

    const b = await s.sessions.create(user.id);
    const c = await s.sessions.rotate(b.token);
    expect(c?.token).toBeTruthy();
    expect(await s.sessions.lookup(b.token)).toBeNull();
    expect((await s.sessions.lookup(c!.token))?.user.id).toBe(user.id);
  });

  it('revokes all of a user’s sessions but the one kept', async () => {
    const keep = await s.sessions.create(user.id);
    const other = await s.sessions.create(user.id);
    expect(await s.sessions.revokeAllForUser(user.id, keep.token)).toBeGreaterThanOrEqual(1);
    expect(await s.sessions.lookup(other.token)).toBeNull();
    expect(await s.sessions.lookup(keep.token)).not.toBeNull();
  });
});

describe('sign-in throttling', () => {
  const password = 'the right password';
  beforeAll(async () => {
    await s.users.create({ email: 'throttle@example.com', password });
    await s.users.create({ email: 'reset@example.com', password });
  });

  it('locks an account for 15 minutes after 5 failures — even for the right password', async () => {
    const client = { ip: '198.51.100.1' };
    for (let i = 1; i <= 4; i++) {
      const r = await s.login({ email: 'throttle@example.com', password: `wrong ${i}`, client });
      expect(r).toEqual({ ok: false, code: 'credentials_wrong' });
    }
    expect(await s.login({ email: 'throttle@example.com', password: 'wrong 5', client })).toEqual({
      ok: false,
      code: 'too_many_attempts',
      retryAfterMinutes: 15,
    });
    advance(6 * MIN);
    // The same from another address: the account is locked, not the address.
    expect(
      await s.login({ email: 'THROTTLE@example.com', password, client: { ip: '198.51.100.2' } }),
    ).toEqual({
      ok: false,
      code: 'too_many_attempts',
      retryAfterMinutes: 9,
    });
    advance(9 * MIN);
    const after = await s.login({ email: 'throttle@example.com', password, client });
    expect(after.ok).toBe(true);
  });

  it('forgets failures before a successful sign-in of the account', async () => {
    const client = { ip: '198.51.100.3' };
    for (let i = 0; i < 4; i++)
      await s.login({ email: 'reset@example.com', password: 'nope', client });
    expect((await s.login({ email: 'reset@example.com', password, client })).ok).toBe(true);
    for (let i = 0; i < 4; i++) {
      expect(await s.login({ email: 'reset@example.com', password: 'nope', client })).toEqual({
        ok: false,
        code: 'credentials_wrong',
      });
    }
  });

  it('limits one address to 20 failures across emails; other addresses go on', async () => {
    advance(60 * MIN);
    const client = { ip: '192.0.2.77' };
    for (let i = 1; i < 20; i++) {
      const r = await s.login({ email: `spray${i}@example.com`, password: 'Winter2026!', client });
      expect(r).toEqual({ ok: false, code: 'credentials_wrong' });
    }
    const twentieth = await s.login({
      email: 'spray20@example.com',
      password: 'Winter2026!',
      client,
    });
    expect(twentieth).toEqual({ ok: false, code: 'too_many_attempts', retryAfterMinutes: 15 });
    const stillBlocked = await s.login({ email: 'throttle@example.com', password, client });
    expect(stillBlocked.ok).toBe(false);
    const elsewhere = await s.login({
      email: 'throttle@example.com',
      password,
      client: { ip: '192.0.2.78' },
    });
    expect(elsewhere.ok).toBe(true);
    const rows = await handle.db
      .select()
      .from(loginAttempts)
      .where(eq(loginAttempts.ip, '192.0.2.77'));
    expect(rows).toHaveLength(20); // refused attempts are not recorded: the lock does not extend itself
  });

  it('replaces a session the browser already had', async () => {
    const first = await s.login({ email: 'reset@example.com', password });
    if (!first.ok) throw new Error('sign-in failed');
    const second = await s.login({
      email: 'reset@example.com',
      password,
      previousToken: first.session.token,
    });
    expect(second.ok).toBe(true);
    expect(await s.sessions.lookup(first.session.token)).toBeNull();
  });
});

describe('invitations', () => {
  let admin: { id: string; email: string };
  beforeAll(async () => {
    admin = await s.users.create({ email: 'admin@example.com', password: 'a long password' });
    await s.members.memberships.grant({ userId: admin.id, organizationId: orgId, role: 'admin' });
  });

  it('creates a link; accepting sets the password and the invited role, once', async () => {
    const invite = await s.invitations.create(asUser(admin), {
      organizationId: orgId,
      brandSlug: legacy.slug,
      email: 'Editor@Example.com',
      role: 'editor',
    });
    expect(invite.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const view = await s.invitations.view(invite.token);
    expect(view).toMatchObject({
      email: 'editor@example.com',
      role: 'editor',
      accountExists: false,
      brandName: legacy.slug,
    });

    const editor = await s.invitations.acceptNew(invite.token, {
      name: 'Editor',
      password: 'editor password',
    });
    expect(editor.email).toBe('editor@example.com');
    expect(await s.users.verifyCredentials('editor@example.com', 'editor password')).not.toBeNull();
    expect(await s.members.memberships.roleInBrand(editor.id, legacy.slug)).toMatchObject({
      role: 'editor',
    });
    expect(await s.invitations.view(invite.token)).toBe('invitation_used');
    expect(
      await refusal(s.invitations.acceptNew(invite.token, { password: 'another password' })),
    ).toBe('invitation_used');
    const actions = (await s.audit.list({ brandId: legacy.id })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['member.invited', 'invitation.accepted']));
    const stored = JSON.stringify(
      [await handle.db.select().from(auditLog), await handle.db.select().from(invitations)],
      (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v),
    );
    expect(stored).not.toContain(invite.token);
  });

  it('expires after 7 days, and a newer link replaces an older one', async () => {
    const old = await s.invitations.create(OPERATOR, {
      organizationId: orgId,
      email: 'late@example.com',
      role: 'viewer',
    });
    const newer = await s.invitations.create(OPERATOR, {
      organizationId: orgId,
      email: 'late@example.com',
      role: 'viewer',
    });
    expect(await s.invitations.view(old.token)).toBe('invitation_unknown');
    advance(7 * DAY + MIN);
    expect(await s.invitations.view(newer.token)).toBe('invitation_expired');
    expect(
      await refusal(s.invitations.acceptNew(newer.token, { password: 'a long password' })),
    ).toBe('invitation_expired');
    expect(await s.users.byEmail('late@example.com')).toBeNull();
    expect(await s.invitations.view('made-up-token')).toBe('invitation_unknown');
  });

  it('lets nobody invite above their own role, nor below admin invite at all', async () => {
    const editor = (await s.users.byEmail('editor@example.com'))!;
    const tries: [Actor, string, string | null][] = [
      [asUser(admin), 'owner', null],
      [asUser(editor), 'viewer', legacy.slug],
      [asUser(editor), 'viewer', null],
    ];
    for (const [actor, role, brandSlug] of tries) {
      expect(
        await refusal(
          s.invitations.create(actor, {
            organizationId: orgId,
            brandSlug,
            email: 'x@example.com',
            role,
          }),
        ),
      ).toBe('role_not_allowed');
    }
    expect(
      (
        await s.invitations.create(asUser(owner), {
          organizationId: orgId,
          email: 'x@example.com',
          role: 'owner',
        })
      ).role,
    ).toBe('owner');
  });

  it('never sets an existing account’s password: that person accepts signed in, and keeps a higher role', async () => {
    const invite = await s.invitations.create(asUser(admin), {
      organizationId: orgId,
      email: 'owner@example.com',
      role: 'viewer',
    });
    expect(await s.invitations.view(invite.token)).toMatchObject({ accountExists: true });
    expect(
      await refusal(s.invitations.acceptNew(invite.token, { password: 'hijacked password' })),
    ).toBe('invitation_account_exists');
    expect(await s.users.verifyCredentials('owner@example.com', 'hijacked password')).toBeNull();
    const other = (await s.users.byEmail('admin@example.com'))!;
    expect(await refusal(s.invitations.acceptAs(invite.token, other))).toBe(
      'invitation_other_email',
    );
    await s.invitations.acceptAs(invite.token, (await s.users.byEmail('owner@example.com'))!);
    expect(await s.members.memberships.roleInOrganization(owner.id, orgId)).toBe('owner');
  });
});

describe('requireMember: which brands a user sees, with which role', () => {
  let a: TestBrand;
  let b: TestBrand;
  let otherOrgBrand: TestBrand;
  let viewer: { id: string };
  let mixed: { id: string };
  beforeAll(async () => {
    a = await insertBrand(handle.db, box, { prefix: 'brand-a' });
    b = await insertBrand(handle.db, box, { prefix: 'brand-b' });
    otherOrgBrand = await insertBrand(handle.db, box, { prefix: 'other-org' });
    const other = await s.members.organizations.create('Other Agency');
    expect(other.adoptedBrands).toEqual([]); // only the first organization adopts
    await handle.db.update(brands).set({ organizationId: orgId }).where(eq(brands.id, a.id));
    await handle.db.update(brands).set({ organizationId: orgId }).where(eq(brands.id, b.id));
    await handle.db
      .update(brands)
      .set({ organizationId: other.id })
      .where(eq(brands.id, otherOrgBrand.id));
    viewer = await s.users.create({ email: 'viewer-a@example.com', password: 'a long password' });
    await s.members.addToBrand(OPERATOR, {
      brandSlug: a.slug,
      email: 'viewer-a@example.com',
      role: 'viewer',
    });
    mixed = await s.users.create({ email: 'mixed@example.com', password: 'a long password' });
    await s.members.memberships.grant({ userId: mixed.id, organizationId: orgId, role: 'viewer' });
    await s.members.addToBrand(OPERATOR, {
      brandSlug: b.slug,
      email: 'mixed@example.com',
      role: 'editor',
    });
  });

  it('answers 404 for a brand the user is not a member of, and for one that does not exist', async () => {
    expect(await s.members.access(viewer.id, b.slug, 'viewer')).toEqual({ ok: false, status: 404 });
    expect(await s.members.access(viewer.id, 'no-such-brand', 'viewer')).toEqual({
      ok: false,
      status: 404,
    });
    expect(await s.members.access(owner.id, otherOrgBrand.slug, 'viewer')).toEqual({
      ok: false,
      status: 404,
    });
  });

  it('answers 403 below the role, and lets the member read', async () => {
    expect(await s.members.access(viewer.id, a.slug, 'editor')).toEqual({
      ok: false,
      status: 403,
      role: 'viewer',
      need: 'editor',
    });
    const read = await s.members.access(viewer.id, a.slug, 'viewer');
    expect(read).toMatchObject({
      ok: true,
      member: { role: 'viewer', brand: { id: a.id, slug: a.slug } },
    });
  });

  it('takes the higher of the organization and the brand role', async () => {
    expect(await s.members.memberships.roleInBrand(mixed.id, a.slug)).toMatchObject({
      role: 'viewer',
    });
    expect(await s.members.memberships.roleInBrand(mixed.id, b.slug)).toMatchObject({
      role: 'editor',
    });
    // An organization owner with a lower brand membership stays owner there.
    await s.members.addToBrand(OPERATOR, {
      brandSlug: a.slug,
      email: 'owner@example.com',
      role: 'viewer',
    });
    expect(await s.members.memberships.roleInBrand(owner.id, a.slug)).toMatchObject({
      role: 'owner',
    });
  });

  it('lists the brands each user can see', async () => {
    const slugsOf = async (id: string) =>
      (await s.members.memberships.brandsOf(id)).map((x) => x.slug).sort();
    expect(await slugsOf(viewer.id)).toEqual([a.slug]);
    expect(await slugsOf(mixed.id)).toEqual([a.slug, b.slug, legacy.slug].sort());
    expect(await slugsOf(owner.id)).not.toContain(otherOrgBrand.slug);
  });

  it('refuses members managers below admin, and unknown users or brands, with a code', async () => {
    expect(
      await refusal(
        s.members.addToBrand(asUser({ id: mixed.id, email: 'mixed@example.com' }), {
          brandSlug: b.slug,
          email: 'viewer-a@example.com',
          role: 'viewer',
        }),
      ),
    ).toBe('role_not_allowed');
    expect(
      await refusal(
        s.members.addToBrand(OPERATOR, {
          brandSlug: b.slug,
          email: 'ghost@example.com',
          role: 'viewer',
        }),
      ),
    ).toBe('user_unknown');
    expect(
      await refusal(
        s.members.addToBrand(OPERATOR, {
          brandSlug: 'nope',
          email: 'mixed@example.com',
          role: 'viewer',
        }),
      ),
    ).toBe('brand_unknown');
    expect(
      await refusal(
        s.members.addToBrand(OPERATOR, {
          brandSlug: a.slug,
          email: 'mixed@example.com',
          role: 'boss',
        }),
      ),
    ).toBe('role_invalid');
  });
});

describe('flow_versions.published_by', () => {
  it('names a user and survives the user being deleted (set null)', async () => {
    const user = await s.users.create({
      email: 'publisher@example.com',
      password: 'a long password',
    });
    const [flow] = await handle.db
      .insert(flows)
      .values({ brandId: legacy.id, name: 'f', draft: {} })
      .returning({ id: flows.id });
    const [version] = await handle.db
      .insert(flowVersions)
      .values({
        flowId: flow!.id,
        version: 1,
        document: {},
        plan: {},
        contentHash: 'x',
        publishedBy: user.id,
      })
      .returning({ id: flowVersions.id });
    await handle.db.delete(users).where(eq(users.id, user.id));
    const [row] = await handle.db
      .select()
      .from(flowVersions)
      .where(eq(flowVersions.id, version!.id));
    expect(row?.publishedBy).toBeNull();
  });
});
