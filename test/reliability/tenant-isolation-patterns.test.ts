/**
 * One tenant's patterns cannot hurt the others (issue 14, item 1).
 *
 * Injected, in brand A:
 * - a live broadcast whose audience pattern `(?<n>Shang)hai` PostgreSQL cannot run, written
 *   straight into the published version (as a document that skipped validation would be);
 * - a keyword trigger `^(a+)+$` in regex mode, and fans sending it `aaaa…!` (31 characters) —
 *   catastrophic backtracking for JavaScript's RegExp.
 * Meanwhile brand B has a birthday flow due today and a QR-scan flow.
 *
 * Asserted: B's fan who scans enters B's journey within seconds while A's texts are matched;
 * the date sweep enters B's birthday follower in the same run that meets A's broken broadcast;
 * A's failure is recorded against A's flow (the `sweeps` row and the problem its marketer sees),
 * not retried for the day, and nothing of A's is entered; A's keyword flow still works for a
 * text that matches.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { flowProblems } from '../../services/flows/problems';
import { localDate } from '../../engine/time';
import { flowVersions, followers, journeys, sweeps } from '../../db/schema';
import { dateSweep } from '../../workflows/workflows/date-sweep';
import { startRuntime, type Runtime } from '../support/runtime';

const ZONE = 'Asia/Shanghai';
let rt: Runtime;
let brandB: Awaited<ReturnType<Runtime['addBrand']>>;
const flowsA: { broadcast: string; broadcastVersion: string; keyword: string } = {
  broadcast: '',
  broadcastVersion: '',
  keyword: '',
};
const flowsB = { birthday: '', scan: '' };

const flowOf = (name: string, trigger: Record<string, unknown>) => ({
  format: 'fanfare.flow/v1',
  name,
  settings: { timezone: ZONE, entry: { reentry: 'after_exit' } },
  nodes: [trigger, { id: 'end', kind: 'flow.end' }],
  edges: [{ id: 'e', from: trigger.id, to: 'end' }],
});

beforeAll(async () => {
  rt = await startRuntime();
  brandB = await rt.addBrand('iso-b');

  // Brand A: a broadcast due now, its pattern broken after compile (validation bypassed).
  const broadcast = await rt.publish(
    flowOf('A: Shanghai broadcast', {
      id: 'blast',
      kind: 'trigger.audience',
      config: {
        at: '2026-01-01T10:00:00',
        audience: { fact: 'follower', path: '$.city', operator: 'matches', value: 'Shang' },
      },
    }),
  );
  const [version] = await rt.handle.db
    .select()
    .from(flowVersions)
    .where(eq(flowVersions.id, broadcast.versionId));
  const broken = <T>(v: T): T =>
    JSON.parse(JSON.stringify(v).replaceAll('"Shang"', '"(?<n>Shang)hai"')) as T;
  await rt.handle.db
    .update(flowVersions)
    .set({ plan: broken(version!.plan), document: broken(version!.document) })
    .where(eq(flowVersions.id, broadcast.versionId));
  flowsA.broadcast = broadcast.flowId;
  flowsA.broadcastVersion = broadcast.versionId;
  await rt.handle.db
    .insert(followers)
    .values({ brandId: rt.brand.id, openid: 'o_a_shanghai', subscribed: true, city: 'Shanghai' });

  // Brand A: a keyword trigger whose pattern backtracks catastrophically in JavaScript.
  flowsA.keyword = (
    await rt.publish(
      flowOf('A: a+ keyword', {
        id: 'kw',
        kind: 'trigger.keyword',
        config: { keywords: ['^(a+)+$'], match: 'regex' },
      }),
    )
  ).flowId;

  // Brand B: birthdays today, and a QR scan.
  flowsB.birthday = (
    await rt.publish(
      flowOf('B: birthday', {
        id: 'bday',
        kind: 'trigger.birthday',
        config: { daysBefore: 0, at: '00:00' },
      }),
      { brandId: brandB.id },
    )
  ).flowId;
  flowsB.scan = (
    await rt.publish(
      flowOf('B: store scan', {
        id: 'scan',
        kind: 'trigger.qr_scan',
        config: { scenes: ['store-*'] },
      }),
      { brandId: brandB.id },
    )
  ).flowId;
  await rt.handle.db.insert(followers).values({
    brandId: brandB.id,
    openid: 'o_b_birthday',
    subscribed: true,
    birthday: localDate(Date.now(), ZONE).slice(5),
  });
});
afterAll(() => rt?.close());

const journeysOf = (flowId: string) =>
  rt.handle.db
    .select({ openid: followers.openid, status: journeys.status })
    .from(journeys)
    .innerJoin(followers, eq(followers.id, journeys.followerId))
    .where(eq(journeys.flowId, flowId));

it("brand A's broken pattern and backtracking keyword hold back none of brand B's journeys", async () => {
  await rt.running(async () => {
    const sweepStarted = Date.now();
    const sweep = await rt.temporal.workflow.start(dateSweep, {
      taskQueue: rt.taskQueue,
      workflowId: `sweep-isolation-${sweepStarted}`,
      args: [{ now: sweepStarted }],
    });

    // A's fans send the 31-character text that stalls a backtracking engine.
    const evil = `${'a'.repeat(30)}!`;
    expect(evil).toHaveLength(31);
    for (const openid of ['o_a_1', 'o_a_2', 'o_a_3']) {
      await rt.control.follow(rt.brand.appId, openid);
      await rt.control.text(rt.brand.appId, openid, evil);
    }
    // Meanwhile B's fan scans a store code: B's journey starts within seconds.
    const scanned = Date.now();
    await rt.control.scan(brandB.appId, 'o_b_scan', 'store-7');
    await expect
      .poll(async () => (await journeysOf(flowsB.scan)).map((j) => j.openid), {
        timeout: 20_000,
        interval: 100,
      })
      .toEqual(['o_b_scan']);
    expect(Date.now() - scanned).toBeLessThan(10_000);

    // The sweep met A's broken broadcast, recorded it, and entered B's birthday anyway.
    const result = await sweep.result();
    expect(result.failed).toBe(1);
    expect(Date.now() - sweepStarted).toBeLessThan(60_000);
    await expect
      .poll(async () => (await journeysOf(flowsB.birthday)).map((j) => j.openid), {
        timeout: 20_000,
      })
      .toEqual(['o_b_birthday']);

    // A's keyword flow still works for a text that matches; the 31-character one entered none.
    await rt.control.text(rt.brand.appId, 'o_a_1', 'aaaa');
    await expect
      .poll(async () => (await journeysOf(flowsA.keyword)).map((j) => j.openid), {
        timeout: 20_000,
      })
      .toEqual(['o_a_1']);
  });

  // Recorded against A's flow, with a reason its marketer reads, and nobody of A's entered.
  const [progress] = await rt.handle.db
    .select()
    .from(sweeps)
    .where(eq(sweeps.flowVersionId, flowsA.broadcastVersion));
  expect(progress).toMatchObject({ status: 'failed', failure: 'invalid_rules', matched: 0 });
  expect(progress!.failureDetail?.text?.en).toContain('named group');
  expect(progress!.failureDetail?.text?.['zh-CN']).toContain('命名分组');
  expect(await journeysOf(flowsA.broadcast)).toEqual([]);

  const problems = await flowProblems(rt.handle.sql, [flowsA.broadcast, flowsB.birthday]);
  expect(problems.get(flowsB.birthday)).toBeUndefined();
  expect(problems.get(flowsA.broadcast)).toEqual([
    expect.objectContaining({ type: 'sweep', nodeId: 'blast', reason: 'invalid_rules' }),
  ]);

  // Failed for the day: the next run does not try it again (bounded), B's day is done.
  const again = await rt.running(() =>
    rt.temporal.workflow.execute(dateSweep, {
      taskQueue: rt.taskQueue,
      workflowId: `sweep-isolation-again-${Date.now()}`,
      args: [{ brandId: rt.brand.id, now: Date.now() }],
    }),
  );
  expect(again).toEqual({ entries: 0, entered: 0 });
});
