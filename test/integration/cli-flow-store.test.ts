import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeAll, expect, inject, it } from 'vitest';
import { connect } from '../../db/client';
import { addCodes, createPool } from '../../services/coupons/codes';
import { brands, flowVersions, flows, menus } from '../../db/schema';

const env = () => ({
  ...process.env,
  DATABASE_URL: inject('databaseUrl'),
  FANFARE_SECRET_KEY: 'ab'.repeat(32),
});
const fanfare = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
    encoding: 'utf8',
    env: env(),
  });
const dir = mkdtempSync('/tmp/fanfare-flows-');
let slug: string;
let brandId: string;

beforeAll(async () => {
  const { db, close } = connect(inject('databaseUrl'), { max: 1 });
  slug = `imp-${randomUUID().slice(0, 8)}`;
  const [row] = await db
    .insert(brands)
    .values({
      slug,
      name: slug,
      appId: `wx${randomBytes(8).toString('hex')}`,
      appSecretEnc: 'x',
      callbackTokenEnc: 'x',
    })
    .returning({ id: brands.id });
  brandId = row!.id;
  // With an expiry: the fixture shows {{coupon.expiresAt}} (else W_COUPON_NO_EXPIRY is printed).
  const expiry = { expiry: { kind: 'days', days: 30 }, timeZone: 'Asia/Shanghai' } as const;
  await addCodes(db, (await createPool(db, brandId, 'cup-coupon', expiry))!, ['A1']);
  await db.insert(menus).values({ brandId, name: 'vip-menu', buttons: [] });
  await close();
});

it('imports and publishes a flow, exports it again, and refuses a document with errors', async () => {
  const imported = fanfare(
    'flow',
    'import',
    'test/fixtures/flows/valid/cup-qr-coupon-vip.json',
    '--brand',
    slug,
    '--publish',
  );
  expect(imported.stderr).not.toMatch(/error/);
  expect(imported.status).toBe(0);
  expect(imported.stdout).toMatch(/published as version 1/);

  const { db, close } = connect(inject('databaseUrl'), { max: 1 });
  const [flow] = await db.select().from(flows).where(eq(flows.brandId, brandId));
  expect(flow).toMatchObject({ status: 'live', name: '杯套扫码领券 + VIP 菜单' });
  const versions = await db.select().from(flowVersions).where(eq(flowVersions.flowId, flow!.id));
  expect(versions.map((v) => v.version)).toEqual([1]);
  expect((versions[0]!.plan as { format: string }).format).toBe('fanfare.plan/v1');

  const out = `${dir}/exported.json`;
  const exported = fanfare('flow', 'export', flow!.id, '--brand', slug, '--out', out);
  expect(exported.status).toBe(0);
  const doc = JSON.parse(readFileSync(out, 'utf8'));
  expect(doc.nodes.map((n: { id: string }) => n.id)).toEqual([
    'scan',
    'tag',
    'coupon',
    'push',
    'menu',
    'end',
  ]);

  // A pool the brand does not have: nothing stored, the issue printed.
  doc.nodes[2].config.pool = 'no-such-pool';
  writeFileSync(`${dir}/bad.json`, JSON.stringify(doc));
  const bad = fanfare('flow', 'import', `${dir}/bad.json`, '--brand', slug, '--publish');
  expect(bad.status).toBe(1);
  expect(bad.stderr).toContain('E_UNKNOWN_RESOURCE');
  expect(bad.stderr).toContain('error E_FLOW_INVALID');
  expect(await db.select().from(flows).where(eq(flows.brandId, brandId))).toHaveLength(1);
  await close();
});

it('binds template parameters on import', async () => {
  const template = {
    format: 'fanfare.flow/v1',
    name: 'welcome from a template',
    parameters: [{ name: 'pool', kind: 'couponPool', label: 'Coupon pool' }],
    nodes: [
      { id: 'f', kind: 'trigger.follow' },
      { id: 'c', kind: 'action.coupon', config: { pool: '{{params.pool}}' } },
      { id: 'e', kind: 'flow.end' },
    ],
    edges: [
      { id: 'e1', from: 'f', to: 'c' },
      { id: 'e2', from: 'c', to: 'e' },
    ],
  };
  writeFileSync(`${dir}/template.json`, JSON.stringify(template));
  const unbound = fanfare('flow', 'import', `${dir}/template.json`, '--brand', slug);
  expect(unbound.status).toBe(1);
  expect(unbound.stderr).toContain('E_UNBOUND_PARAM');
  const bound = fanfare(
    'flow',
    'import',
    `${dir}/template.json`,
    '--brand',
    slug,
    '--param',
    'pool=cup-coupon',
    '--publish',
  );
  expect(bound.stderr).not.toMatch(/error/);
  expect(bound.status).toBe(0);
  const exported = fanfare('flow', 'export', 'welcome from a template', '--brand', slug);
  expect(JSON.parse(exported.stdout).nodes[1].config.pool).toBe('cup-coupon');
});
