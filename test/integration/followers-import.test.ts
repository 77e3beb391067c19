/**
 * Issue 12, acceptance 3: importing the account's existing followers brings in all of them
 * (paging past WeChat's 10,000 openids a page), shows progress, updates the followers we had
 * without duplicating them, and a second run adds none. Real Postgres, Temporal and sandbox;
 * run through the code `fanfare followers import` runs.
 */
import { spawn } from 'node:child_process';
import { and, count, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { brands, followerImports, followerTags, followers, tags } from '../../db/schema';
import { createWechatClients } from '../../services/wechat/clients';
import { runFollowersImport, type FollowerImportRow } from '../../workflows/followers-import-run';
import { startRuntime, type Runtime } from '../support/runtime';

let rt: Runtime;
beforeAll(async () => {
  rt = await startRuntime();
});
afterAll(() => rt?.close());

const PLAIN = 10_050;
const TAGGED = 50;
const ALL = PLAIN + TAGGED;

async function importAll(progress: FollowerImportRow[]) {
  return rt.running(() =>
    runFollowersImport(
      { db: rt.handle.db, temporal: rt.temporal, taskQueue: rt.taskQueue },
      rt.brand.id,
      { pollMs: 100, onProgress: (row) => progress.push(row) },
    ),
  );
}

const brandFollowers = async () =>
  (
    await rt.handle.db
      .select({ n: count() })
      .from(followers)
      .where(eq(followers.brandId, rt.brand.id))
  )[0]!.n;

describe('followers import', () => {
  it('imports every follower over several pages, updates the known ones, and adds none the second time', async () => {
    const db = rt.handle.db;
    // A WeChat tag we know by name, carried by some fans.
    const { client } = await createWechatClients({ db, box: rt.box }).forBrand(rt.brand.id);
    const vip = await client.createTag('vip');
    await db.insert(tags).values({ brandId: rt.brand.id, name: 'vip', wechatTagId: vip.id });

    await rt.control.seedFollowers(rt.brand.appId, { prefix: 'imp-', count: PLAIN });
    await rt.control.seedFollowers(rt.brand.appId, {
      prefix: 'imp-vip-',
      count: TAGGED,
      tags: [vip.id],
    });

    // Fans we already had (they interacted after installation), with our own data.
    const known = ['imp-00007', 'imp-05000', 'imp-vip-03'];
    const before = await db
      .insert(followers)
      .values(
        known.map((openid) => ({
          brandId: rt.brand.id,
          openid,
          subscribed: false,
          points: 42,
          qrScene: 'cup-qr',
        })),
      )
      .returning({ id: followers.id, openid: followers.openid });

    const progress: FollowerImportRow[] = [];
    const first = await importAll(progress);
    expect(first.joined).toBe(false);
    expect(first.row).toMatchObject({
      status: 'done',
      total: ALL,
      pages: 2,
      fetched: ALL,
      created: ALL - known.length,
      updated: known.length,
      nextOpenid: '',
      error: null,
    });
    expect(first.row.finishedAt).not.toBeNull();
    // Progress was shown while it ran: fans counted before the end.
    expect(progress.some((r) => r.status === 'running' && r.fetched > 0 && r.fetched < ALL)).toBe(
      true,
    );
    expect(progress.at(-1)?.status).toBe('done');

    expect(await brandFollowers()).toBe(ALL);
    const rows = await db.select().from(followers).where(eq(followers.brandId, rt.brand.id));
    expect(new Set(rows.map((r) => r.openid)).size).toBe(ALL);
    expect(rows.every((r) => r.subscribed && r.subscribedAt !== null)).toBe(true);
    for (const b of before) {
      const row = rows.find((r) => r.openid === b.openid)!;
      expect(row.id).toBe(b.id); // updated in place, not duplicated
      expect(row.subscribed).toBe(true);
      expect(row.points).toBe(42); // our data kept
      expect(row.qrScene).toBe('cup-qr');
    }
    const tagged = await db
      .select({ n: count() })
      .from(followerTags)
      .innerJoin(followers, eq(followers.id, followerTags.followerId))
      .where(
        and(
          eq(followerTags.brandId, rt.brand.id),
          eq(followerTags.tag, 'vip'),
          eq(followerTags.source, 'wechat'),
          like(followers.openid, 'imp-vip-%'),
        ),
      );
    expect(tagged[0]!.n).toBe(TAGGED);

    // WeChat's limits: batchget never asked for more than 100 openids at once.
    const batchgets = await rt.control.calls({
      appId: rt.brand.appId,
      path: '/cgi-bin/user/info/batchget',
    });
    // pages of 10,000 and 100 openids: 100 + 1 calls
    expect(batchgets.length).toBe(101);
    for (const call of batchgets)
      expect((call.body as { user_list: unknown[] }).user_list.length).toBeLessThanOrEqual(100);

    // Again: nothing new, everyone updated, still no duplicates.
    const second = await importAll([]);
    expect(second.row).toMatchObject({
      status: 'done',
      pages: 2,
      fetched: ALL,
      created: 0,
      updated: ALL,
    });
    expect(await brandFollowers()).toBe(ALL);
    const [stored] = await db
      .select()
      .from(followerImports)
      .where(eq(followerImports.brandId, rt.brand.id));
    expect(stored?.created).toBe(0);
  });

  it('rides out WeChat being too busy mid-page: retried with backoff, resumed at its chunk, counts exact', async () => {
    const other = await rt.addBrand('imp-busy');
    const FANS = 5_000;
    await rt.control.seedFollowers(other.appId, { prefix: 'busy-', count: FANS });
    let injectedAt: number | null = null;
    const outcome = await rt.running(() =>
      runFollowersImport(
        { db: rt.handle.db, temporal: rt.temporal, taskQueue: rt.taskQueue },
        other.id,
        {
          pollMs: 20,
          onProgress: (row) => {
            if (injectedAt === null && row.status === 'running' && row.fetched > 0) {
              injectedAt = row.fetched;
              // More refusals than the client's own attempts: the activity fails and
              // Temporal retries it after its backoff.
              void rt.control.injectFault({
                path: '/cgi-bin/user/info/batchget',
                appId: other.appId,
                count: 4,
                errcode: 45009,
                errmsg: 'reach max api daily quota limit',
              });
            }
          },
        },
      ),
    );
    const refused = (
      await rt.control.calls({ appId: other.appId, path: '/cgi-bin/user/info/batchget' })
    ).filter((c) => c.errcode === 45009);
    expect(injectedAt).not.toBeNull();
    expect(injectedAt!).toBeLessThan(FANS);
    expect(refused.length).toBe(4);
    // Chunks done before the refusal were not done again: nothing counted twice.
    expect(outcome.row).toMatchObject({
      status: 'done',
      fetched: FANS,
      created: FANS,
      updated: 0,
      error: null,
    });
    const [n] = await rt.handle.db
      .select({ n: count() })
      .from(followers)
      .where(eq(followers.brandId, other.id));
    expect(n!.n).toBe(FANS);
  });

  it('an import after a failed one resumes at its next_openid, its counts carried on', async () => {
    const other = await rt.addBrand('imp-resume');
    await rt.control.seedFollowers(other.appId, { prefix: 'res-', count: 10_050 });
    // The failed import had done the first page (its fans are elsewhere for this test).
    await rt.handle.db.insert(followerImports).values({
      brandId: other.id,
      workflowId: `followers-import:${other.id}`,
      runId: 'an-earlier-run',
      status: 'failed',
      total: 10_050,
      pages: 1,
      fetched: 10_000,
      created: 10_000,
      nextOpenid: 'res-09999',
      error: 'WECHAT_45009: WeChat refused',
    });
    const { row } = await rt.running(() =>
      runFollowersImport(
        { db: rt.handle.db, temporal: rt.temporal, taskQueue: rt.taskQueue },
        other.id,
      ),
    );
    expect(row).toMatchObject({
      status: 'done',
      pages: 2,
      fetched: 10_050,
      created: 10_050,
      updated: 0,
      error: null,
    });
    const lists = await rt.control.calls({ appId: other.appId, path: '/cgi-bin/user/get' });
    expect(lists[0]?.query.next_openid).toBe('res-09999');
    const [n] = await rt.handle.db
      .select({ n: count() })
      .from(followers)
      .where(eq(followers.brandId, other.id));
    expect(n!.n).toBe(50);
  });

  it('runs from the CLI: progress, a summary as JSON; an unknown brand is a code and a sentence', async () => {
    await rt.control.seedFollowers(rt.brand.appId, { prefix: 'imp-cli-', count: 150 });
    const run = await rt.running(() =>
      fanfare(['followers', 'import', '--brand', rt.brand.slug, '--json']),
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('import started');
    expect(JSON.parse(run.stdout)).toMatchObject({
      brand: rt.brand.slug,
      status: 'done',
      total: ALL + 150,
      created: 150,
      updated: ALL,
    });
    expect(await brandFollowers()).toBe(ALL + 150);

    const unknown = await fanfare(['followers', 'import', '--brand', 'no-such-brand']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error E_UNKNOWN_BRAND: /);

    const bare = await rt.addBrand('imp-bare');
    await rt.handle.db.update(brands).set({ appSecretEnc: '' }).where(eq(brands.id, bare.id));
    const refused = await rt.running(() => fanfare(['followers', 'import', '--brand', bare.slug]));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error E_NOT_CONNECTED: .*no WeChat credentials/m);
    const [failed] = await rt.handle.db
      .select()
      .from(followerImports)
      .where(eq(followerImports.brandId, bare.id));
    expect(failed).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/^E_NOT_CONNECTED: /),
    });
  });
});

/** The CLI in a child process (asynchronously: the worker runs in this one). */
function fanfare(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
      env: {
        ...process.env,
        DATABASE_URL: inject('databaseUrl'),
        FANFARE_SECRET_KEY: rt.secretKeyHex,
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        TEMPORAL_TASK_QUEUE: rt.taskQueue,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
