/**
 * `fanfare template export|import|list|use|status|update` (issue 13's CLI contracts), the real
 * CLI against Postgres: brand A's published cup-QR flow exported with the pool and the scene as
 * parameters, validated by `fanfare flow validate`, imported into the organization, used and
 * published in brand B with B's resources; a new version shows as an update naming the text.
 * Bad input exits 1 with a code and stores nothing.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { beforeAll, expect, inject, it } from 'vitest';
import { connect } from '../../db/client';
import { brands, flowTemplates, flows, menus, organizations } from '../../db/schema';
import { addCodes, createPool } from '../../services/coupons/codes';

const fanfare = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      DATABASE_URL: inject('databaseUrl'),
      FANFARE_SECRET_KEY: 'ab'.repeat(32),
    },
  });
const dir = mkdtempSync('/tmp/fanfare-templates-');
const org = `cli-tpl-${randomUUID().slice(0, 8)}`;
let orgId: string;
const brandA = `tpa-${randomUUID().slice(0, 8)}`;
const brandB = `tpb-${randomUUID().slice(0, 8)}`;
const ids: Record<string, string> = {};

beforeAll(async () => {
  const { db, close } = connect(inject('databaseUrl'), { max: 1 });
  const [o] = await db
    .insert(organizations)
    .values({ name: `CLI templates ${org}`, slug: org })
    .returning({ id: organizations.id });
  orgId = o!.id;
  const expiry = { expiry: { kind: 'days', days: 30 }, timeZone: 'Asia/Shanghai' } as const;
  for (const [slug, pool, menu] of [
    [brandA, 'cup-coupon', 'vip-menu'],
    [brandB, 'b-cup-pool', 'b-vip'],
  ] as const) {
    const [row] = await db
      .insert(brands)
      .values({
        slug,
        name: slug,
        organizationId: orgId,
        appId: `wx${randomBytes(8).toString('hex')}`,
        appSecretEnc: 'x',
        callbackTokenEnc: 'x',
      })
      .returning({ id: brands.id });
    ids[slug] = row!.id;
    await addCodes(db, (await createPool(db, row!.id, pool, expiry))!, [`${slug}-1`]);
    await db.insert(menus).values({ brandId: row!.id, name: menu, buttons: [] });
  }
  await close();
});

it('exports, validates, imports, lists, uses, and updates a template through the CLI', async () => {
  const imported = fanfare(
    'flow',
    'import',
    'test/fixtures/flows/valid/cup-qr-coupon-vip.json',
    '--brand',
    brandA,
    '--publish',
  );
  expect(imported.status).toBe(0);

  const file = `${dir}/cup-template.json`;
  const exported = fanfare(
    'template',
    'export',
    '杯套扫码领券 + VIP 菜单',
    '--brand',
    brandA,
    '--param',
    'coupon.pool=pool',
    '--param',
    'scan.scenes.0=scene',
    '--out',
    file,
  );
  expect(exported.stderr).toContain('parameters: ');
  expect(exported.status).toBe(0);
  const doc = JSON.parse(readFileSync(file, 'utf8')) as {
    name: string;
    parameters: { name: string; kind: string }[];
    nodes: { id: string; config?: Record<string, unknown> }[];
  };
  expect(doc.parameters.map((p) => `${p.name}:${p.kind}`)).toEqual(
    expect.arrayContaining(['pool:couponPool', 'scene:qrScene']),
  );

  // A path that names nothing: a code, no file.
  const nowhere = fanfare(
    'template',
    'export',
    '杯套扫码领券 + VIP 菜单',
    '--brand',
    brandA,
    '--param',
    'nope.pool=pool',
  );
  expect(nowhere.status).toBe(1);
  expect(nowhere.stderr).toContain('E_TEMPLATE_PARAM_PATH_UNKNOWN');

  // A template file is a flow document: `flow validate` checks it, as a template.
  const valid = fanfare('flow', 'validate', file);
  expect(valid.stdout).toContain('no issues');
  expect(valid.status).toBe(0);
  const bad = structuredClone(doc);
  bad.nodes.find((n) => n.id === 'coupon')!.config = { pool: 'cup-coupon' };
  const badFile = `${dir}/bad.json`;
  writeFileSync(badFile, JSON.stringify(bad));
  const invalid = fanfare('flow', 'validate', badFile);
  expect(invalid.status).toBe(1);
  expect(invalid.stdout).toContain('E_TEMPLATE_RESOURCE');

  // Import: bad input stores nothing; an unknown organization is said.
  const refused = fanfare('template', 'import', badFile, '--org', org);
  expect(refused.status).toBe(1);
  expect(refused.stderr).toContain('E_TEMPLATE_RESOURCE');
  expect(refused.stderr).toContain('error E_TEMPLATE_INVALID');
  const noOrg = fanfare('template', 'import', file, '--org', 'no-such-org-here');
  expect(noOrg.status).toBe(1);
  expect(noOrg.stderr).toContain('E_ORGANIZATION_UNKNOWN');
  const { db, close } = connect(inject('databaseUrl'), { max: 1 });
  try {
    expect(
      await db.select().from(flowTemplates).where(eq(flowTemplates.organizationId, orgId)),
    ).toEqual([]);

    const ok = fanfare('template', 'import', file, '--org', org);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toContain(`template "${doc.name}" version 1 imported`);

    const listed = fanfare('template', 'list', '--org', org, '--json');
    expect(listed.status).toBe(0);
    const list = JSON.parse(listed.stdout) as { name: string; latestVersion: number }[];
    expect(list.map((t) => [t.name, t.latestVersion])).toEqual([[doc.name, 1]]);

    // Use: a binding brand B lacks stores nothing; with B's own resources, published.
    const missing = fanfare(
      'template',
      'use',
      doc.name,
      '--brand',
      brandB,
      '--param',
      'pool=no-such-pool',
      '--param',
      'scene=bcup*',
      '--param',
      'menu1=b-vip',
    );
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('E_UNKNOWN_RESOURCE');
    expect(await db.select().from(flows).where(eq(flows.brandId, ids[brandB]!))).toEqual([]);
    const used = fanfare(
      'template',
      'use',
      doc.name,
      '--brand',
      brandB,
      '--param',
      'pool=b-cup-pool',
      '--param',
      'scene=bcup*',
      '--param',
      'menu1=b-vip',
      '--publish',
    );
    expect(used.stdout).toMatch(/published as version 1/);
    expect(used.status).toBe(0);
    const [flowB] = await db.select().from(flows).where(eq(flows.brandId, ids[brandB]!));
    expect(flowB).toMatchObject({
      status: 'live',
      templateBindings: { pool: 'b-cup-pool', scene: 'bcup*', menu1: 'b-vip' },
    });
    expect(JSON.stringify(flowB!.draft)).toContain('b-cup-pool');

    // Version 2 with a changed text: update available, naming the text; updating keeps B's pool.
    const v2 = structuredClone(doc);
    const push = v2.nodes.find((n) => n.id === 'push')!;
    (push.config as { message: { text: string } }).message.text = '第二版欢迎语 {{coupon.code}}';
    writeFileSync(file, JSON.stringify(v2));
    expect(fanfare('template', 'import', file, '--org', org).stdout).toContain('version 2');
    const status = fanfare('template', 'status', flowB!.id, '--brand', brandB);
    expect(status.stdout).toContain('update available');
    expect(status.stdout).toContain('第二版欢迎语');
    const updated = fanfare('template', 'update', flowB!.id, '--brand', brandB);
    expect(updated.status).toBe(0);
    expect(updated.stdout).toContain('updated to template version 2');
    const [after] = await db
      .select()
      .from(flows)
      .where(and(eq(flows.id, flowB!.id)));
    expect(JSON.stringify(after!.draft)).toContain('第二版欢迎语');
    expect(JSON.stringify(after!.draft)).toContain('b-cup-pool');
    expect(fanfare('template', 'status', flowB!.id, '--brand', brandB).stdout).toContain(
      'up to date',
    );
  } finally {
    await close();
  }
});

it('adds the shipped starter templates to the library, once', async () => {
  const added = fanfare('template', 'starters', '--org', org, '--lang', 'en');
  expect(added.stderr).toBe('');
  expect(added.status).toBe(0);
  expect(added.stdout.trim().split('\n')).toEqual([
    'Birthday gift: version 1',
    'Cup / packaging QR coupon: version 1',
    'Golden 48 hours: version 1',
    'Keyword to coupon: version 1',
  ]);
  expect(fanfare('template', 'starters', '--org', org, '--lang', 'en').stdout).toContain(
    'Golden 48 hours: version 1 (unchanged)',
  );
  const listed = fanfare('template', 'list', '--org', org, '--search', 'golden');
  expect(listed.stdout).toMatch(/^Golden 48 hours\tv1\t.*window:duration/m);
  const badLang = fanfare('template', 'starters', '--org', org, '--lang', 'fr');
  expect(badLang.status).toBe(2);
  expect(badLang.stderr).toContain('E_USAGE');
});
