/**
 * Issue 8, acceptance 2: `trigger.qr_scan(cup-*) → condition lacksTag cup-vip → action.tag add
 * cup-vip, src_{{event.scene}}` imports and publishes with `fanfare flow import … --publish` on
 * a brand that has no tags yet, and a scan of `cup-2012` leaves the fan tagged `cup-vip` and
 * `src_cup-2012` on WeChat (the sandbox). The real CLI, Temporal, Postgres and sandbox.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { flows, tags } from '../../db/schema';
import { journeyRows, startRuntime, type Runtime } from '../support/runtime';

let rt: Runtime;
beforeAll(async () => {
  rt = await startRuntime();
});
afterAll(() => rt?.close());

const cupVip = {
  format: 'fanfare.flow/v1',
  name: '杯套 VIP：按来源打标签',
  settings: { timezone: 'Asia/Shanghai', entry: { reentry: 'always' } },
  nodes: [
    { id: 'scan', kind: 'trigger.qr_scan', label: '扫杯套码', config: { scenes: ['cup-*'] } },
    {
      id: 'new',
      kind: 'condition.rules',
      label: '还不是 VIP？',
      config: {
        rules: {
          all: [{ fact: 'follower', path: '$.tags', operator: 'lacksTag', value: 'cup-vip' }],
        },
      },
    },
    {
      id: 'tag',
      kind: 'action.tag',
      label: '设为 VIP 并记来源',
      config: { add: ['cup-vip', 'src_{{event.scene}}'] },
    },
    { id: 'end', kind: 'flow.end', label: '结束' },
  ],
  edges: [
    { id: 'e1', from: 'scan', port: 'next', to: 'new' },
    { id: 'e2', from: 'new', port: 'yes', to: 'tag' },
    { id: 'e3', from: 'new', port: 'no', to: 'end' },
    { id: 'e4', from: 'tag', port: 'next', to: 'end' },
  ],
};

const fanfare = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      DATABASE_URL: inject('databaseUrl'),
      FANFARE_SECRET_KEY: rt.secretKeyHex,
    },
  });

async function wechatTags(openid: string): Promise<string[]> {
  const fan = await rt.control.follower(rt.brand.appId, openid);
  const { tags: all } = await rt.control.account(rt.brand.appId);
  return all
    .filter((t) => fan.tags.includes(t.id))
    .map((t) => t.name)
    .sort();
}

it('imports, publishes and tags a cup scan by its source, on a brand without tags', async () => {
  expect(await rt.handle.db.select().from(tags).where(eq(tags.brandId, rt.brand.id))).toEqual([]);
  const file = `${mkdtempSync('/tmp/fanfare-cup-vip-')}/cup-vip.json`;
  writeFileSync(file, JSON.stringify(cupVip));

  const imported = fanfare('flow', 'import', file, '--brand', rt.brand.slug, '--publish');
  expect(imported.stderr).toContain('0 errors');
  expect(imported.stderr).not.toMatch(/E_UNKNOWN_RESOURCE|error E_/);
  expect(imported.status).toBe(0);
  expect(imported.stdout).toMatch(/published as version 1/);
  // The placeholder tag's budget is unknown: said, not silent.
  expect(imported.stderr).toContain('W_TAG_BUDGET');
  const [flow] = await rt.handle.db.select().from(flows).where(eq(flows.brandId, rt.brand.id));
  expect(flow).toMatchObject({ status: 'live' });

  await rt.running(async () => {
    await rt.control.follow(rt.brand.appId, 'o_cup_vip');
    await rt.control.scan(rt.brand.appId, 'o_cup_vip', 'cup-2012');
    await expect
      .poll(async () => (await journeyRows(rt, flow!.id)).map((j) => j.status), {
        timeout: 30_000,
        interval: 200,
      })
      .toEqual(['completed']);
    expect(await wechatTags('o_cup_vip')).toEqual(['cup-vip', 'src_cup-2012']);

    // A VIP scanning another cup takes the "no" branch: no second source tag.
    await new Promise((r) => setTimeout(r, 1_100)); // WeChat events of one second are one
    await rt.control.scan(rt.brand.appId, 'o_cup_vip', 'cup-2013');
    await expect
      .poll(async () => (await journeyRows(rt, flow!.id)).map((j) => j.status), {
        timeout: 30_000,
        interval: 200,
      })
      .toEqual(['completed', 'completed']);
  });
  expect(await wechatTags('o_cup_vip')).toEqual(['cup-vip', 'src_cup-2012']);
  expect(
    (await rt.handle.db.select().from(tags).where(eq(tags.brandId, rt.brand.id)))
      .map((t) => t.name)
      .sort(),
  ).toEqual(['cup-vip', 'src_cup-2012']);
});
