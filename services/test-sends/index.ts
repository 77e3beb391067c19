/**
 * Test followers and test sends (issue 11, docs/product.md#test-send): a brand marks a few of
 * its fans (≤ 20) as test followers; a test send delivers already-rendered messages (the
 * simulator's, engine/simulate) to each of them through the brand's real WeChat API, marked as
 * a test — a text, a news article's title, a mini-program card's title and a template
 * message's first value start with 【测试】 (an image cannot carry a mark). A test send never
 * enters a journey nor the analytics: it writes only `test_sends` (what went out and WeChat's
 * answer) and the audit log — never `messages`, `journeys`, `journey_steps` or `flow_stats`.
 * The one thing it keeps in step is the fan's customer-service quota record: a test message
 * spends the same quota on WeChat as a real one, and WeChat refusing for want of quota
 * (45015, 45047) closes our record as the push activity does.
 *
 * Viewers list the test followers; editors and above mark, unmark and send. Refusals are
 * ServiceErrors: `E_INPUT` (the body; `detail` names the field), `E_UNKNOWN_FOLLOWER` (no such
 * fan of the brand), `E_TOO_MANY` (the 21st test follower), `E_NOT_CONNECTED` (no WeChat
 * credentials), `flow_unknown`, and the access ones (`brand_unknown`, `forbidden`).
 */
import { and, asc, count, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { PushMessage } from '../../engine/schema/message';
import type { TemplateMessage } from '../../engine/schema/message';
import {
  brands,
  flows,
  followers,
  messageTemplates,
  testFollowers,
  testSends,
} from '../../db/schema';
import type { AuditService } from '../audit';
import { actorUserId } from '../audit';
import { isConnected } from '../brands/account';
import { createBrandAccess, type ActedBrand } from '../brands/access';
import type { Actor, ServiceDeps } from '../deps';
import { ServiceError } from '../errors';
import { closeQuota, takeQuota } from '../followers/store';
import type { MembershipsService } from '../members/memberships';
import type { WechatClients } from '../wechat/clients';
import { customMessage, pushOutcome, templateMessage } from '../wechat/push-message';

/** At most this many test followers per brand, and messages per test send. */
export const MAX_TEST_FOLLOWERS = 20;
export const MAX_TEST_MESSAGES = 20;
/** A test follower's label ("Wang Fang's phone"). */
export const MAX_LABEL_CHARS = 64;
/** What marks a test message. */
export const TEST_MARK = '【测试】';

export interface TestFollower {
  openid: string;
  label: string;
  /** Whether the fan follows the account now (a test send to one who does not is skipped). */
  subscribed: boolean;
  createdAt: string;
}

/** One recorded test send (`test_sends`), for the test followers page. */
export interface TestSendRecord {
  at: Date;
  openid: string;
  flowId: string | null;
  nodeId: string | null;
  channel: 'customer_service' | 'template';
  msgType: string;
  outcome: TestSendOutcome;
  errcode: number | null;
  reason: string | null;
}

export type TestSendOutcome = 'sent' | 'failed' | 'skipped';

export interface TestSendResult {
  openid: string;
  nodeId: string;
  outcome: TestSendOutcome;
  channel: 'customer_service' | 'template';
  /** WeChat's errcode when it refused; null otherwise. */
  errcode: number | null;
  /**
   * Why nothing was sent or it failed (engine/outcomes.ts's reasons): `quota_closed` (the tester
   * must first write to the account), `quota_used`, `unfollowed`, `refused`, `delivery_unknown`;
   * null when sent.
   */
  reason: string | null;
}

const Openid = z
  .string()
  .trim()
  .min(1, 'the openid is required')
  .max(128, 'an openid is at most 128 characters')
  .regex(/^[\w-]+$/, 'an openid has only letters, digits, _ and -');

export const MarkInput = z.object({
  openid: Openid,
  label: z
    .string()
    .trim()
    .max(MAX_LABEL_CHARS, `a label is at most ${MAX_LABEL_CHARS} characters`)
    // A label is shown in tables and the audit log: no control characters.
    .regex(/^[^\p{Cc}]*$/u, 'a label has no control characters')
    .optional()
    .default(''),
});

export const TestSendInput = z.object({
  flowId: z.string().optional(),
  messages: z
    .array(
      z.strictObject({
        nodeId: z.string().trim().min(1, 'nodeId is required').max(128),
        message: PushMessage,
      }),
    )
    .min(1, 'at least one message')
    .max(MAX_TEST_MESSAGES, `at most ${MAX_TEST_MESSAGES} messages`),
});
export type TestSendInput = z.input<typeof TestSendInput>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The first zod issue as `E_INPUT`, naming the field (`messages.0.message.text`). */
function invalid(error: z.ZodError): ServiceError {
  const issue = error.issues[0];
  const path = issue?.path.join('.') ?? '';
  const detail = `${path || 'body'}: ${issue?.message ?? 'invalid'}`;
  return new ServiceError('E_INPUT', `the request is not valid: ${detail}`, path || undefined, {
    detail,
  });
}

/** The message as a tester receives it: marked 【测试】 where the message has a place for it. */
export function markAsTest(m: PushMessage): PushMessage {
  const mark = (text: string) => (text.startsWith(TEST_MARK) ? text : `${TEST_MARK}${text}`);
  switch (m.type) {
    case 'text':
      return { ...m, text: mark(m.text) };
    case 'news':
      return { ...m, articles: m.articles.map((a) => ({ ...a, title: mark(a.title) })) };
    case 'miniprogram':
      return { ...m, title: mark(m.title) };
    case 'template': {
      const [first] = Object.keys(m.data);
      if (first === undefined) return m;
      return { ...m, data: { ...m.data, [first]: mark(m.data[first]!) } };
    }
    case 'image':
      return m;
  }
}

export function createTestSends(
  deps: ServiceDeps & {
    audit: AuditService;
    memberships: MembershipsService;
    wechat: WechatClients;
  },
) {
  const { db } = deps;
  const brandFor = createBrandAccess(deps);

  async function list(brandId: string): Promise<TestFollower[]> {
    const rows = await db
      .select({
        openid: testFollowers.openid,
        label: testFollowers.label,
        subscribed: sql<boolean>`coalesce(${followers.subscribed}, false)`,
        createdAt: testFollowers.createdAt,
      })
      .from(testFollowers)
      .leftJoin(
        followers,
        and(
          eq(followers.brandId, testFollowers.brandId),
          eq(followers.openid, testFollowers.openid),
        ),
      )
      .where(eq(testFollowers.brandId, brandId))
      .orderBy(asc(testFollowers.createdAt), asc(testFollowers.openid));
    return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
  }

  /** WeChat's template id for the name a template message carries (push.ts does the same). */
  async function wechatTemplateId(brandId: string, m: TemplateMessage): Promise<string> {
    const [row] = await db
      .select({ wechatId: messageTemplates.wechatTemplateId })
      .from(messageTemplates)
      .where(and(eq(messageTemplates.brandId, brandId), eq(messageTemplates.name, m.templateId)));
    return row?.wechatId ?? m.templateId;
  }

  async function flowOf(brand: ActedBrand, flowId: string | undefined) {
    if (flowId === undefined) return null;
    const unknown = new ServiceError('flow_unknown', `no flow ${flowId} in this brand`, 'flowId', {
      flowId,
    });
    if (!UUID.test(flowId)) throw unknown;
    const [flow] = await db
      .select({ id: flows.id, name: flows.name })
      .from(flows)
      .where(and(eq(flows.id, flowId), eq(flows.brandId, brand.id)));
    if (!flow) throw unknown;
    return flow;
  }

  return {
    /** The brand's test followers, oldest first. Viewers and above. */
    async listTestFollowers(who: Actor, brandSlug: string): Promise<TestFollower[]> {
      const brand = await brandFor(who, brandSlug, 'brand.read');
      return list(brand.id);
    },

    /** The brand's latest test sends, newest first (at most `limit`, ≤ 100). Viewers and above. */
    async recentTestSends(who: Actor, brandSlug: string, limit = 20): Promise<TestSendRecord[]> {
      const brand = await brandFor(who, brandSlug, 'brand.read');
      return db
        .select({
          at: testSends.createdAt,
          openid: testSends.openid,
          flowId: testSends.flowId,
          nodeId: testSends.nodeId,
          channel: testSends.channel,
          msgType: testSends.msgType,
          outcome: testSends.outcome,
          errcode: testSends.errcode,
          reason: testSends.reason,
        })
        .from(testSends)
        .where(eq(testSends.brandId, brand.id))
        .orderBy(desc(testSends.id))
        .limit(Math.max(1, Math.min(100, Math.floor(limit))));
    },

    /**
     * Marks one of the brand's fans (by openid; it must be in `followers`) as a test follower,
     * or changes the label of one already marked. Editors and above; audited.
     */
    async markTestFollower(
      who: Actor,
      brandSlug: string,
      input: { openid: unknown; label?: unknown },
    ): Promise<TestFollower> {
      const brand = await brandFor(who, brandSlug, 'resources.manage');
      const parsed = MarkInput.safeParse(input);
      if (!parsed.success) throw invalid(parsed.error);
      const { openid, label } = parsed.data;
      const [fan] = await db
        .select({ id: followers.id })
        .from(followers)
        .where(and(eq(followers.brandId, brand.id), eq(followers.openid, openid)));
      if (!fan)
        throw new ServiceError(
          'E_UNKNOWN_FOLLOWER',
          `the brand has no follower with openid "${openid}"`,
          'openid',
          { openid },
        );
      await db.transaction(async (tx) => {
        // The count and the insert share a lock on the brand's test followers: two editors
        // marking the 20th at once cannot both succeed.
        await tx.execute(
          sql`select pg_advisory_xact_lock(hashtext('fanfare.test_followers'), hashtext(${brand.id}))`,
        );
        const [already] = await tx
          .select({ openid: testFollowers.openid })
          .from(testFollowers)
          .where(and(eq(testFollowers.brandId, brand.id), eq(testFollowers.openid, openid)));
        if (!already) {
          const [{ n } = { n: 0 }] = await tx
            .select({ n: count() })
            .from(testFollowers)
            .where(eq(testFollowers.brandId, brand.id));
          if (n >= MAX_TEST_FOLLOWERS)
            throw new ServiceError(
              'E_TOO_MANY',
              `a brand has at most ${MAX_TEST_FOLLOWERS} test followers; remove one first`,
              'openid',
              { max: MAX_TEST_FOLLOWERS },
            );
        }
        await tx
          .insert(testFollowers)
          .values({ brandId: brand.id, openid, label, createdBy: actorUserId(who) })
          .onConflictDoUpdate({
            target: [testFollowers.brandId, testFollowers.openid],
            set: { label },
          });
        await deps.audit.record(
          {
            actor: who,
            action: 'test_follower.marked',
            organizationId: brand.organizationId,
            brandId: brand.id,
            target: { type: 'follower', id: openid },
            details: { name: label ? `${openid} (${label})` : openid, openid, label },
          },
          tx,
        );
      });
      const marked = (await list(brand.id)).find((f) => f.openid === openid);
      if (!marked) throw new Error(`test follower ${openid} vanished after it was marked`);
      return marked;
    },

    /** Removes a test follower; `removed: false` when the fan was not one. Editors; audited. */
    async unmarkTestFollower(
      who: Actor,
      brandSlug: string,
      openid: unknown,
    ): Promise<{ removed: boolean }> {
      const brand = await brandFor(who, brandSlug, 'resources.manage');
      const parsed = Openid.safeParse(openid);
      if (!parsed.success) throw invalid(parsed.error);
      return db.transaction(async (tx) => {
        const removed = await tx
          .delete(testFollowers)
          .where(and(eq(testFollowers.brandId, brand.id), eq(testFollowers.openid, parsed.data)))
          .returning({ label: testFollowers.label });
        if (removed.length === 0) return { removed: false };
        const label = removed[0]!.label;
        await deps.audit.record(
          {
            actor: who,
            action: 'test_follower.unmarked',
            organizationId: brand.organizationId,
            brandId: brand.id,
            target: { type: 'follower', id: parsed.data },
            details: {
              name: label ? `${parsed.data} (${label})` : parsed.data,
              openid: parsed.data,
            },
          },
          tx,
        );
        return { removed: true };
      });
    },

    /**
     * Sends each message, marked as a test, to every test follower of the brand through its
     * WeChat account: a template message by `message/template/send`, the others as customer-
     * service messages. One result per message and test follower, in the messages' order; each
     * recorded in `test_sends`, the whole send once in the audit log. No test follower: no
     * results. Editors and above.
     */
    async testSend(
      who: Actor,
      brandSlug: string,
      input: { flowId?: unknown; messages?: unknown },
    ): Promise<{ results: TestSendResult[] }> {
      const brand = await brandFor(who, brandSlug, 'flow.edit');
      const parsed = TestSendInput.safeParse(input);
      if (!parsed.success) throw invalid(parsed.error);
      const flow = await flowOf(brand, parsed.data.flowId);
      const [row] = await db
        .select({
          appId: brands.appId,
          appSecretEnc: brands.appSecretEnc,
          callbackTokenEnc: brands.callbackTokenEnc,
        })
        .from(brands)
        .where(eq(brands.id, brand.id));
      if (!row || !isConnected(row))
        throw new ServiceError(
          'E_NOT_CONNECTED',
          'the brand has no WeChat credentials yet (set them on its connection page)',
          'brand',
        );
      const testers = await db
        .select({ openid: testFollowers.openid, followerId: followers.id })
        .from(testFollowers)
        .leftJoin(
          followers,
          and(
            eq(followers.brandId, testFollowers.brandId),
            eq(followers.openid, testFollowers.openid),
          ),
        )
        .where(eq(testFollowers.brandId, brand.id))
        .orderBy(asc(testFollowers.createdAt), asc(testFollowers.openid));
      if (testers.length === 0) return { results: [] };
      const { client } = await deps.wechat.forBrand(brand.id);

      const results: TestSendResult[] = [];
      const rows: (typeof testSends.$inferInsert)[] = [];
      for (const { nodeId, message } of parsed.data.messages) {
        const marked = markAsTest(message);
        const channel = marked.type === 'template' ? 'template' : 'customer_service';
        const templateId =
          marked.type === 'template' ? await wechatTemplateId(brand.id, marked) : null;
        for (const tester of testers) {
          let outcome: Omit<TestSendResult, 'openid' | 'nodeId' | 'channel'>;
          try {
            if (marked.type === 'template')
              await client.sendTemplateMessage(templateMessage(tester.openid, templateId!, marked));
            else await client.sendCustomMessage(customMessage(tester.openid, marked));
            outcome = { outcome: 'sent', errcode: null, reason: null };
          } catch (error) {
            // Not processed by WeChat (busy, 5xx): a test is not retried, it failed.
            outcome = pushOutcome(error) ?? {
              outcome: 'failed',
              errcode: (error as { errcode?: number | null }).errcode ?? null,
              reason: 'refused',
            };
          }
          if (channel === 'customer_service' && tester.followerId) {
            // The quota WeChat counts is the fan's, test or not: keep our record with it.
            if (outcome.outcome === 'sent') await takeQuota(db, tester.followerId);
            else if (outcome.errcode === 45015 || outcome.errcode === 45047)
              await closeQuota(db, tester.followerId, outcome.errcode === 45015);
          }
          results.push({ openid: tester.openid, nodeId, channel, ...outcome });
          rows.push({
            brandId: brand.id,
            flowId: flow?.id ?? null,
            openid: tester.openid,
            nodeId,
            channel,
            msgType: marked.type,
            content: marked as unknown as Record<string, unknown>,
            outcome: outcome.outcome,
            errcode: outcome.errcode,
            reason: outcome.reason,
            createdBy: actorUserId(who),
          });
        }
      }
      await db.transaction(async (tx) => {
        await tx.insert(testSends).values(rows);
        await deps.audit.record(
          {
            actor: who,
            action: 'test_send.sent',
            organizationId: brand.organizationId,
            brandId: brand.id,
            ...(flow ? { target: { type: 'flow', id: flow.id } } : {}),
            details: {
              flowName: flow?.name ?? '—',
              messages: parsed.data.messages.length,
              testers: testers.length,
              sent: results.filter((r) => r.outcome === 'sent').length,
              skipped: results.filter((r) => r.outcome === 'skipped').length,
              failed: results.filter((r) => r.outcome === 'failed').length,
            },
          },
          tx,
        );
      });
      return { results };
    },
  };
}

export type TestSendsService = ReturnType<typeof createTestSends>;
