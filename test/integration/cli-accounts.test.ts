/**
 * The operator's account commands against a real PostgreSQL (a database of this file's own:
 * "the first organization adopts the brands made before accounts" depends on what exists):
 * user create [--org], user set-password, member add, brand create --org.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type DbHandle } from '../../db/client';
import { auditLog, brands, memberships, organizations, users } from '../../db/schema';
import { createServices, type Services } from '../../services';
import type { TestDatabase } from '../support/databases';
import { ownDatabase } from '../support/own-database';

const secretKey = randomBytes(32).toString('hex');
let database: TestDatabase;
let handle: DbHandle;
let s: Services;

function fanfare(args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: database.url, FANFARE_SECRET_KEY: secretKey },
    timeout: 60_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const brandArgs = (slug: string) => [
  'brand',
  'create',
  '--slug',
  slug,
  '--name',
  slug,
  '--app-id',
  'wx1234567890abcdef',
  '--app-secret',
  'secret-0123456789abcdef',
  '--token',
  'cafetoken',
];

const orgOf = async (slug: string) =>
  (await handle.db.select().from(brands).where(eq(brands.slug, slug)))[0]?.organizationId ?? null;

beforeAll(async () => {
  database = await ownDatabase();
  handle = connect(database.url, { max: 2 });
  s = createServices({ db: handle.db });
});

afterAll(async () => {
  await handle?.close();
  await database?.drop();
});

describe('fanfare user / member / brand --org', () => {
  it('brand create before any organization leaves the brand to be adopted', () => {
    const run = fanfare(brandArgs('early-cafe'));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('in no organization yet');
  });

  it('user create --org makes the owner of a new organization, which adopts earlier brands', async () => {
    const run = fanfare([
      'user',
      'create',
      '--email',
      'Boss@Example.com',
      '--password',
      'boss password 1',
      '--name',
      '老板',
      '--org',
      'Cat Café Group',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^user boss@example\.com created \(id [0-9a-f-]{36}\)\n/);
    expect(run.stdout).toContain('owner of new organization "Cat Café Group" (cat-cafe-group)');
    expect(run.stdout).toContain('brands adopted into it: early-cafe');
    const [org] = await handle.db.select().from(organizations);
    expect(await orgOf('early-cafe')).toBe(org!.id);
    const boss = (await s.users.byEmail('boss@example.com'))!;
    expect(await s.members.memberships.roleInOrganization(boss.id, org!.id)).toBe('owner');
    expect(await s.users.verifyCredentials('boss@example.com', 'boss password 1')).not.toBeNull();
    expect(await s.setup.isOpen()).toBe(false); // first-run setup is over
  });

  it('brand create goes to the only organization, or the one named; several need --org', async () => {
    expect(fanfare(brandArgs('second-cafe')).code).toBe(0);
    const [org] = await handle.db.select().from(organizations);
    expect(await orgOf('second-cafe')).toBe(org!.id);

    expect(
      fanfare([
        'user',
        'create',
        '--email',
        'agency@example.com',
        '--password',
        'agency password',
        '--org',
        'Agency',
      ]).code,
    ).toBe(0);
    const ambiguous = fanfare(brandArgs('third-cafe'));
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toMatch(
      /^error E_ORGANIZATION_REQUIRED: --org: there are 2 organizations/,
    );
    expect(await handle.db.select().from(brands).where(eq(brands.slug, 'third-cafe'))).toEqual([]);

    const named = fanfare([...brandArgs('third-cafe'), '--org', 'agency']);
    expect(named.stdout).toContain('in organization "Agency" (agency)');
    const unknown = fanfare([...brandArgs('fourth-cafe'), '--org', 'Nobody Inc']);
    expect(unknown.stderr).toMatch(/^error E_ORGANIZATION_UNKNOWN: --org: /);
  });

  it('member add gives an existing user a role on one brand only', async () => {
    expect(
      fanfare(['user', 'create', '--email', 'ed@example.com', '--password', 'editor password'])
        .stdout,
    ).toContain('member of no organization yet');
    const run = fanfare([
      'member',
      'add',
      '--brand',
      'second-cafe',
      '--email',
      'ED@example.com',
      '--role',
      'editor',
    ]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('ed@example.com is editor of brand second-cafe\n');
    const ed = (await s.users.byEmail('ed@example.com'))!;
    expect((await s.members.memberships.brandsOf(ed.id)).map((b) => [b.slug, b.role])).toEqual([
      ['second-cafe', 'editor'],
    ]);
    const audit = await handle.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'member.added'));
    expect(
      audit.some((e) => e.actorLabel === 'operator (CLI)' && e.details.email === 'ed@example.com'),
    ).toBe(true);
  });

  it('member invite prints a link that works once', async () => {
    const run = fanfare([
      'member',
      'invite',
      '--brand',
      'second-cafe',
      '--email',
      'New@Example.com',
      '--role',
      'viewer',
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^invitation for new@example\.com as viewer created/);
    const token = /\/invite\/([A-Za-z0-9_-]{43})\n$/.exec(run.stdout)?.[1];
    expect(token).toBeDefined();
    const user = await s.invitations.acceptNew(token!, { password: 'new user password' });
    expect(await s.members.memberships.roleInBrand(user.id, 'second-cafe')).toMatchObject({
      role: 'viewer',
    });
    expect(await s.invitations.view(token!)).toBe('invitation_used');
    const neither = fanfare(['member', 'invite', '--email', 'x@example.com', '--role', 'viewer']);
    expect(neither.stderr).toMatch(/^error E_INPUT: give either --org or --brand/);
  });

  it('refuses bad input with a code and a sentence, changing nothing', async () => {
    const before = {
      users: await handle.db.select().from(users),
      memberships: await handle.db.select().from(memberships),
    };
    const cases: [string[], RegExp][] = [
      [
        ['user', 'create', '--email', 'boss@EXAMPLE.com', '--password', 'another password'],
        /^error E_EMAIL_TAKEN: --email: /,
      ],
      [
        ['user', 'create', '--email', 'nope', '--password', 'another password'],
        /^error E_EMAIL_INVALID: --email: /,
      ],
      [
        ['user', 'create', '--email', 'new@example.com', '--password', 'short'],
        /^error E_PASSWORD_TOO_SHORT: --password: /,
      ],
      [
        [
          'member',
          'add',
          '--brand',
          'second-cafe',
          '--email',
          'ghost@example.com',
          '--role',
          'viewer',
        ],
        /^error E_USER_UNKNOWN: --email: /,
      ],
      [
        ['member', 'add', '--brand', 'no-such', '--email', 'ed@example.com', '--role', 'viewer'],
        /^error E_BRAND_UNKNOWN: --brand: /,
      ],
      [
        ['member', 'add', '--brand', 'second-cafe', '--email', 'ed@example.com', '--role', 'boss'],
        /error: option '--role <role>' argument 'boss' is invalid/,
      ],
      [
        ['member', 'add', '--brand', 'second-cafe', '--email', 'ed@example.com'],
        /error: required option '--role <role>' not specified/,
      ],
    ];
    for (const [args, message] of cases) {
      const run = fanfare(args);
      expect(run.code, args.join(' ')).not.toBe(0);
      expect(run.stderr, args.join(' ')).toMatch(message);
    }
    expect(await handle.db.select().from(users)).toEqual(before.users);
    expect(await handle.db.select().from(memberships)).toEqual(before.memberships);
    // Seven CLI processes one after another: on a loaded two-core machine each start takes
    // 10 s or more (it timed out at the default 60 s once).
  }, 180_000);

  it('user set-password sets a new password and signs out the user’s sessions', async () => {
    const login = await s.login({ email: 'ed@example.com', password: 'editor password' });
    if (!login.ok) throw new Error('sign-in failed');
    const run = fanfare([
      'user',
      'set-password',
      '--email',
      'ed@example.com',
      '--password',
      'a fresh password',
    ]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('password of ed@example.com set; 1 session(s) signed out\n');
    expect(await s.sessions.lookup(login.session.token)).toBeNull();
    expect(await s.users.verifyCredentials('ed@example.com', 'a fresh password')).not.toBeNull();
  });
});
