/**
 * Coupon pools expire (a last day, or days after issue): `fanfare coupon-pool create
 * --expires`, the coupons page's server side, the code's own expiry fixed at issue, the real
 * date in the follower's message (a journey on the real Temporal server, the WeChat sandbox),
 * and W_COUPON_NO_EXPIRY when a flow shows {{coupon.expiresAt}} from a pool without one.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkExpiryInput, listPools, setPoolExpiry } from '../../services/coupons/index';
import { expiresAt, expiryDate } from '../../engine/coupon-expiry';
import { localDate } from '../../engine/time';
import { addCodes, createPool } from '../../services/coupons/codes';
import { brands, couponCodes, couponPools } from '../../db/schema';
import { journeyRows, startRuntime, type Runtime } from '../support/runtime';

const ZONE = 'Asia/Shanghai';
const DAY = 86_400_000;

let rt: Runtime;
beforeAll(async () => {
  rt = await startRuntime();
  await rt.handle.db.update(brands).set({ timezone: ZONE }).where(eq(brands.id, rt.brand.id));
});
afterAll(() => rt?.close());

function fanfare(...args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      DATABASE_URL: inject('databaseUrl'),
      FANFARE_SECRET_KEY: rt.secretKeyHex,
    },
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const pool = async (name: string) =>
  (
    await rt.handle.db
      .select()
      .from(couponPools)
      .where(and(eq(couponPools.brandId, rt.brand.id), eq(couponPools.name, name)))
  )[0];

describe('fanfare coupon-pool create --expires', () => {
  it('takes a last day or a number of days, and says what it stored', async () => {
    const nextYear = `${new Date().getUTCFullYear() + 1}-06-30`;
    const dated = fanfare(
      'coupon-pool', 'create', '--brand', rt.brand.slug, '--name', 'cli-dated',
      '--generate', '3', '--expires', nextYear,
    ); // prettier-ignore
    expect(dated.stderr).not.toMatch(/error/);
    expect(dated.status).toBe(0);
    expect(dated.stdout).toContain(`codes are good through ${nextYear} (${ZONE})`);
    expect((await pool('cli-dated'))?.expiresAt?.toISOString()).toBe(
      new Date(Date.parse(`${nextYear}T23:59:59.999+08:00`)).toISOString(),
    );

    const relative = fanfare(
      'coupon-pool', 'create', '--brand', rt.brand.slug, '--name', 'cli-30d',
      '--generate', '3', '--expires', '30d',
    ); // prettier-ignore
    expect(relative.status).toBe(0);
    expect(relative.stdout).toContain('each code is good through the 30th day after it is issued');
    expect(await pool('cli-30d')).toMatchObject({ expiresAt: null, expiresAfterDays: 30 });
  });

  it.each([
    {
      expires: 'soon',
      message:
        /^error E_INPUT: --expires takes the last day a code is good, as YYYY-MM-DD \(e\.g\. 2026-12-31\), or a number of days after it is issued \(e\.g\. 30d\); got "soon"$/m,
    },
    {
      expires: '0d',
      message:
        /^error E_INPUT: --expires takes 1 to 3650 days after issue \(e\.g\. 30d\); got "0d"$/m,
    },
    {
      expires: '2020-01-01',
      message:
        /^error E_INPUT: --expires 2020-01-01 is in the past \(today is \d{4}-\d{2}-\d{2} in Asia\/Shanghai\); give today or a later date, or a number of days such as 30d$/m,
    },
  ])(
    'refuses --expires $expires with a sentence, and creates nothing',
    async ({ expires, message }) => {
      const name = `cli-bad-${randomBytes(3).toString('hex')}`;
      const run = fanfare(
      'coupon-pool', 'create', '--brand', rt.brand.slug, '--name', name,
      '--generate', '3', '--expires', expires,
    ); // prettier-ignore
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(await pool(name)).toBeUndefined();
    },
  );
});

describe('the coupons page (server side)', () => {
  const NOW = Date.UTC(2026, 2, 10, 15, 30); // 23:30 on the 10th in Shanghai

  it.each([
    { input: { mode: '', date: '', days: '' }, expiry: null },
    { input: { mode: 'none', date: '2020-01-01', days: 'x' }, expiry: null },
    {
      input: { mode: 'date', date: '2026-03-10', days: '' },
      expiry: { kind: 'date', date: '2026-03-10' },
    },
    { input: { mode: 'days', date: '', days: '7' }, expiry: { kind: 'days', days: 7 } },
  ])('accepts $input', ({ input, expiry }) => {
    expect(checkExpiryInput(input, ZONE, NOW)).toEqual({ ok: true, expiry });
  });

  it.each([
    {
      input: { mode: 'date', date: '', days: '' },
      code: 'pool_expiry_date_invalid',
      field: 'expiresOn',
    },
    {
      input: { mode: 'date', date: '2026-03-09', days: '' },
      code: 'pool_expiry_date_past',
      field: 'expiresOn',
    },
    {
      input: { mode: 'days', date: '', days: '0' },
      code: 'pool_expiry_days_invalid',
      field: 'expiresAfterDays',
    },
    {
      input: { mode: 'days', date: '', days: '1.5' },
      code: 'pool_expiry_days_invalid',
      field: 'expiresAfterDays',
    },
    {
      input: { mode: 'days', date: '', days: '' },
      code: 'pool_expiry_days_invalid',
      field: 'expiresAfterDays',
    },
    { input: { mode: 'weekly', date: '', days: '' }, code: 'pool_expiry_mode', field: 'expiry' },
  ])('refuses $input on the field ($code)', ({ input, code, field }) => {
    expect(checkExpiryInput(input, ZONE, NOW)).toMatchObject({
      ok: false,
      problems: [{ code, field }],
    });
  });

  it("changes a pool's expiry; the list shows it; a bad value changes nothing", async () => {
    const id = (await createPool(rt.handle.db, rt.brand.id, 'page-pool'))!;
    const listed = async () =>
      (await listPools(rt.handle.db, rt.brand.id)).find((p) => p.id === id);
    expect((await listed())?.expiry).toBeNull();
    expect(
      await setPoolExpiry(
        rt.handle.db,
        rt.brand.id,
        id,
        { mode: 'days', date: '', days: '14' },
        ZONE,
      ),
    ).toEqual({ ok: true, pool: 'page-pool', expiry: { kind: 'days', days: 14 } });
    expect((await listed())?.expiry).toEqual({ kind: 'days', days: 14 });
    expect(
      await setPoolExpiry(
        rt.handle.db,
        rt.brand.id,
        id,
        { mode: 'days', date: '', days: '-1' },
        ZONE,
      ),
    ).toMatchObject({ ok: false });
    expect((await listed())?.expiry).toEqual({ kind: 'days', days: 14 });
    expect(
      await setPoolExpiry(
        rt.handle.db,
        rt.brand.id,
        id,
        { mode: 'date', date: '2099-01-31', days: '' },
        ZONE,
      ),
    ).toMatchObject({ ok: true });
    expect((await listed())?.expiry).toEqual({ kind: 'date', date: '2099-01-31' });
    expect(await pool('page-pool')).toMatchObject({ expiresAfterDays: null });
  });
});

/** Follow (through `scene`) → coupon from `pool` → a push showing the code and its last day. */
const couponFlow = (name: string, poolName: string, scene: string) => ({
  format: 'fanfare.flow/v1',
  name,
  settings: {
    timezone: ZONE,
    entry: { reentry: 'once' },
    quietHours: null,
    frequencyCap: null,
    exitOn: [],
    goal: null,
  },
  nodes: [
    { id: 'follow', kind: 'trigger.follow', config: { scenes: [scene] } },
    { id: 'coupon', kind: 'action.coupon', label: '发新人券', config: { pool: poolName } },
    {
      id: 'push',
      kind: 'action.push',
      label: '告诉券码',
      config: {
        channel: 'customer_service',
        message: { type: 'text', text: '券码 {{coupon.code}}，有效期至 {{coupon.expiresAt}}。' },
      },
    },
    { id: 'end', kind: 'flow.end' },
  ],
  edges: [
    { id: 'e1', from: 'follow', port: 'next', to: 'coupon' },
    { id: 'e2', from: 'coupon', port: 'next', to: 'push' },
    { id: 'e3', from: 'push', port: 'next', to: 'end' },
  ],
});

describe('a journey shows the real expiry', () => {
  it('issues a code with its own expiry and puts the last day in the message', async () => {
    const days = (await createPool(rt.handle.db, rt.brand.id, 'week', {
      expiry: { kind: 'days', days: 7 },
      timeZone: ZONE,
    }))!;
    await addCodes(rt.handle.db, days, ['WEEK-1']);
    const dated = (await createPool(rt.handle.db, rt.brand.id, 'new-year', {
      expiry: { kind: 'date', date: '2099-01-31' },
      timeZone: ZONE,
    }))!;
    await addCodes(rt.handle.db, dated, ['NY-1']);
    const a = await rt.publish(couponFlow('a week', 'week', 'week'));
    const b = await rt.publish(couponFlow('new year', 'new-year', 'newyear'));

    const before = Date.now();
    await rt.running(async () => {
      await rt.control.follow(rt.brand.appId, 'o_week', { scene: 'week' });
      await rt.control.follow(rt.brand.appId, 'o_newyear', { scene: 'newyear' });
      for (const { flowId } of [a, b])
        await expect
          .poll(async () => (await journeyRows(rt, flowId))[0]?.status, { timeout: 30_000 })
          .toBe('completed');
    });
    const after = Date.now();

    // Issued today (in Shanghai): good through the 7th day after.
    const [code] = await rt.handle.db
      .select()
      .from(couponCodes)
      .where(eq(couponCodes.code, 'WEEK-1'));
    const expected = [before, after].map((t) => expiresAt({ kind: 'days', days: 7 }, t, ZONE));
    expect(expected).toContain(code!.expiresAt!.getTime());
    expect(code!.expiresAt!.getTime() - before).toBeGreaterThan(7 * DAY - DAY);
    const lastDay = expiryDate(code!.expiresAt!.getTime(), ZONE);
    expect(lastDay).toBe(localDate(code!.issuedAt!.getTime() + 7 * DAY, ZONE));

    const content = async (openid: string) =>
      (await rt.control.sentMessages(rt.brand.appId, openid)).map(
        (m) => (m.body.text as { content: string }).content,
      );
    expect(await content('o_week')).toEqual([`券码 WEEK-1，有效期至 ${lastDay}。`]);
    expect(await content('o_newyear')).toEqual(['券码 NY-1，有效期至 2099-01-31。']);

    // A later change of the pool does not move a code already issued.
    await setPoolExpiry(
      rt.handle.db,
      rt.brand.id,
      days,
      { mode: 'days', date: '', days: '1' },
      ZONE,
    );
    const [still] = await rt.handle.db
      .select()
      .from(couponCodes)
      .where(eq(couponCodes.code, 'WEEK-1'));
    expect(still!.expiresAt).toEqual(code!.expiresAt);
  });
});

describe('publishing warns about {{coupon.expiresAt}} from a pool without expiry', () => {
  it('fanfare flow import --publish: publishes, and prints W_COUPON_NO_EXPIRY naming the steps and the field', async () => {
    await addCodes(rt.handle.db, (await createPool(rt.handle.db, rt.brand.id, 'forever'))!, [
      'F-1',
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'fanfare-expiry-'));
    const file = join(dir, 'flow.json');
    writeFileSync(file, JSON.stringify(couponFlow('no expiry', 'forever', 'forever')));
    const run = fanfare('flow', 'import', file, '--brand', rt.brand.slug, '--publish');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/published as version 1/);
    expect(run.stderr).toContain('W_COUPON_NO_EXPIRY');
    expect(run.stderr).toContain(
      '"告诉券码" shows {{coupon.expiresAt}} in "Message", but the coupon pool "forever" that "发新人券" gives codes from has no expiry',
    );

    // Once the pool expires, the same flow publishes without the warning.
    const forever = (await pool('forever'))!;
    await setPoolExpiry(
      rt.handle.db,
      rt.brand.id,
      forever.id,
      { mode: 'days', date: '', days: '30' },
      ZONE,
    );
    writeFileSync(file, JSON.stringify(couponFlow('no expiry, fixed', 'forever', 'forever')));
    const again = fanfare('flow', 'import', file, '--brand', rt.brand.slug, '--publish');
    expect(again.status).toBe(0);
    expect(again.stderr).not.toContain('W_COUPON_NO_EXPIRY');
  });
});
