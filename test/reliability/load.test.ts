/**
 * Injected: sustained load on the WeChat callback route — signed pushes (QR subscribes, SCANs
 * and texts; each follower sends one of each, often within the same second) posted for a
 * fixed time by a bounded pool of concurrent senders, with exact re-deliveries of earlier
 * pushes mixed in (WeChat's retries, some overlapping the original), while the outbox
 * dispatcher drains.
 * Asserted: every request is answered 200 `success`; every distinct push is recorded exactly
 * once (recorded = distinct sent, per follower and type), re-deliveries add nothing, and every
 * recorded event leaves the outbox. No throughput is asserted.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { events, followers } from '../../db/schema';
import { buildPush, type BuiltPush, type PushFields } from '../../wechat/sandbox/push';
import { startRuntime, type Runtime } from '../support/runtime';

const DURATION_MS = 8_000;
const IN_FLIGHT = 8;
/** One push in this many is a re-delivery of an earlier one. */
const RETRY_EVERY = 7;

type Kind = 'subscribe' | 'scan' | 'text';
const KINDS: Kind[] = ['subscribe', 'scan', 'text'];
/** The event type each kind is stored as (services/wechat/inbound.ts). */
const STORED_AS: Record<Kind, string> = { subscribe: 'follow', scan: 'qr_scan', text: 'keyword' };

interface Sent {
  openid: string;
  kind: Kind;
  push: BuiltPush;
}

let rt: Runtime;
beforeAll(async () => {
  rt = await startRuntime();
});
afterAll(() => rt?.close());

/** The n-th distinct push: follower n/3 subscribes with a scene, scans, then writes. */
function nthPush(n: number, msgIdBase: bigint): Sent {
  const openid = `o_load_${Math.floor(n / KINDS.length)}`;
  const kind = KINDS[n % KINDS.length]!;
  const common = {
    ToUserName: 'gh_load00000000',
    FromUserName: openid,
    CreateTime: Math.floor(Date.now() / 1000),
  };
  const specific: Record<Kind, PushFields> = {
    subscribe: { MsgType: 'event', Event: 'subscribe', EventKey: `qrscene_load-${n}`, Ticket: 't' },
    scan: { MsgType: 'event', Event: 'SCAN', EventKey: `load-${n}`, Ticket: 't' },
    text: { MsgType: 'text', Content: `hello ${n}`, MsgId: String(msgIdBase + BigInt(n)) },
  };
  const push = buildPush(
    { token: rt.brand.token, appId: rt.brand.appId, mode: 'plaintext' },
    { ...common, ...specific[kind] },
  );
  return { openid, kind, push };
}

it('records every distinct callback exactly once under sustained concurrent load', async () => {
  const msgIdBase = BigInt(Date.now()) * 1_000_000n;
  const distinct: Sent[] = [];
  const answers: { status: number; body: string }[] = [];
  const failures: string[] = [];
  let redeliveries = 0;
  let slot = 0;

  async function post(push: BuiltPush): Promise<void> {
    try {
      const res = await fetch(`${rt.callbackUrl}?${new URLSearchParams(push.query)}`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml; charset=utf-8' },
        body: push.body,
      });
      answers.push({ status: res.status, body: await res.text() });
    } catch (error) {
      failures.push((error as Error).message);
    }
  }

  async function sender(deadline: number): Promise<void> {
    while (Date.now() < deadline) {
      const n = slot++;
      if (n % RETRY_EVERY === RETRY_EVERY - 1 && distinct.length > 0) {
        // Re-deliver one of the last few pushes: it may still be in flight in another sender.
        const recent = distinct.slice(-IN_FLIGHT);
        redeliveries++;
        await post(recent[n % recent.length]!.push);
      } else {
        const sent = nthPush(distinct.length, msgIdBase);
        distinct.push(sent);
        await post(sent.push);
      }
    }
  }

  await rt.running(async () => {
    const deadline = Date.now() + DURATION_MS;
    await Promise.all(Array.from({ length: IN_FLIGHT }, () => sender(deadline)));
    console.info(
      `load: ${answers.length + failures.length} requests in ${DURATION_MS} ms ` +
        `(${distinct.length} distinct, ${redeliveries} re-deliveries)`,
    );

    expect(failures).toEqual([]);
    expect(answers.filter((a) => a.status !== 200 || a.body !== 'success')).toEqual([]);
    expect(answers).toHaveLength(distinct.length + redeliveries);
    expect(redeliveries).toBeGreaterThan(0);

    // Recorded = distinct sent: per follower, one event of each type it sent.
    const stored = await rt.handle.db.select().from(events).where(eq(events.brandId, rt.brand.id));
    const byFollower = (rows: { openid: string | null; type: string }[]) => {
      const map = new Map<string, string[]>();
      for (const r of rows) map.set(r.openid ?? '', [...(map.get(r.openid ?? '') ?? []), r.type]);
      return Object.fromEntries([...map].map(([k, v]) => [k, v.sort()]));
    };
    expect(stored).toHaveLength(distinct.length);
    expect(byFollower(stored)).toEqual(
      byFollower(distinct.map((s) => ({ openid: s.openid, type: STORED_AS[s.kind] }))),
    );
    const followerRows = await rt.handle.db
      .select({ openid: followers.openid })
      .from(followers)
      .where(eq(followers.brandId, rt.brand.id));
    expect(followerRows.map((f) => f.openid).sort()).toEqual(
      [...new Set(distinct.map((s) => s.openid))].sort(),
    );

    // …and every one of them is handed on by the dispatcher.
    await expect
      .poll(
        async () =>
          (
            await rt.handle.db
              .select({ dispatchedAt: events.dispatchedAt })
              .from(events)
              .where(eq(events.brandId, rt.brand.id))
          ).filter((e) => e.dispatchedAt === null).length,
        { timeout: 60_000, interval: 500 },
      )
      .toBe(0);
  });
});
