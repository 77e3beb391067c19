/** condition.rules, action.update_profile and action.webhook. */
import { createHmac, randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { evaluateRules } from '../../engine/rules/evaluate';
import { buildFacts } from '../../engine/rules/facts';
import { renderDeep } from '../../engine/render';
import type { RuleCondition } from '../../engine/schema/rules';
import type { Db } from '../../db/client';
import { recordEvent } from '../../services/events/outbox';
import { loadFollowerRecord } from '../../services/followers/facts';
import { applyProfile, type ProfileUpdate } from '../../services/followers/store';
import { brands, followers } from '../../db/schema';
import type { SecretBox } from '../../services/secrets';
import { stepKey, type IssuedCoupon, type StepRef } from '../journey-types';
import { writeStep } from './bookkeeping';
import { businessFailure } from './failures';
import { journeyVars } from './vars';
import { postWebhook, WebhookRefusedError, type WebhookOptions } from './webhook-http';

export function profileActivities(deps: { db: Db; box: SecretBox; webhook?: WebhookOptions }) {
  const { db, box } = deps;

  /** The brand's webhook secret, created on first use. */
  async function webhookSecret(brandId: string): Promise<string> {
    const fresh = box.seal(randomBytes(32).toString('hex'));
    await db
      .update(brands)
      .set({ webhookSecretEnc: fresh })
      .where(sql`${brands.id} = ${brandId} and ${brands.webhookSecretEnc} is null`);
    const [row] = await db
      .select({ secret: brands.webhookSecretEnc })
      .from(brands)
      .where(eq(brands.id, brandId));
    return box.open(row!.secret!);
  }

  return {
    /** Facts are read at this moment; the branch taken is recorded. */
    async evaluateCondition(input: {
      ref: StepRef;
      rules: RuleCondition;
      coupon: IssuedCoupon | null;
    }): Promise<boolean> {
      const follower = await loadFollowerRecord(db, input.ref.context.followerId);
      if (!follower) throw businessFailure('E_NO_FOLLOWER', 'the follower record is gone');
      const facts = buildFacts({
        follower,
        event: input.ref.context.event,
        journey: {
          enteredAt: input.ref.context.enteredAt,
          flowId: input.ref.context.flowId,
          journeyId: input.ref.context.journeyId,
          coupon: input.coupon,
        },
      });
      const yes = await evaluateRules(input.rules, facts, Date.now());
      await writeStep(db, input.ref, 'completed', { output: { port: yes ? 'yes' : 'no' } });
      return yes;
    },

    /**
     * Applied once per step visit: the change is recorded as an event under the step's key.
     * `{{…}}` placeholders in the values are rendered as in messages.
     */
    async updateProfile(input: {
      ref: StepRef;
      set?: ProfileUpdate;
      addPoints?: number;
      tier?: string;
      coupon?: IssuedCoupon | null;
    }): Promise<void> {
      const { ref } = input;
      const templated = JSON.stringify([input.set ?? null, input.tier ?? null]).includes('{{');
      const vars = templated ? await journeyVars(db, ref, input.coupon ?? null) : {};
      const set = input.set && renderDeep(input.set, vars);
      const tier = input.tier && renderDeep(input.tier, vars);
      await db.transaction(async (tx) => {
        const recorded = await recordEvent(tx, {
          brandId: ref.context.brandId,
          followerId: ref.context.followerId,
          openid: ref.context.openid,
          type: 'profile',
          dedupeKey: `profile:${stepKey(ref)}`,
          payload: {
            set: set ?? null,
            addPoints: input.addPoints ?? null,
            tier: tier ?? null,
            source: 'flow',
          },
        });
        if (recorded.duplicate) return;
        await applyProfile(tx, ref.context.followerId, {
          ...(set ?? {}),
          ...(tier ? { tier } : {}),
        });
        if (input.addPoints) {
          await tx
            .update(followers)
            .set({ points: sql`${followers.points} + ${input.addPoints}` })
            .where(eq(followers.id, ref.context.followerId));
        }
        await writeStep(tx, ref, 'completed', { output: { addPoints: input.addPoints ?? 0 } });
      });
    },

    /**
     * POSTs JSON signed with the brand's secret: header X-Fanfare-Signature = sha256=<hex> of
     * `${timestamp}.${body}`. The Idempotency-Key header lets the receiver drop a retry.
     * An address inside a private network (not allowed by the operator) is refused for good,
     * recorded on the step with where it pointed; redirects are not followed.
     */
    async callWebhook(input: {
      ref: StepRef;
      url: string;
      body?: Record<string, unknown>;
      coupon: IssuedCoupon | null;
    }): Promise<void> {
      const { ref } = input;
      const vars = await journeyVars(db, ref, input.coupon);
      const payload = JSON.stringify({
        id: stepKey(ref),
        flowId: ref.context.flowId,
        journeyId: ref.context.journeyId,
        openid: ref.context.openid,
        event: { type: ref.context.event.type, id: ref.context.event.id },
        data: renderDeep(input.body ?? {}, vars),
      });
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = createHmac('sha256', await webhookSecret(ref.context.brandId))
        .update(`${timestamp}.${payload}`)
        .digest('hex');
      let response;
      try {
        response = await postWebhook(
          input.url,
          {
            headers: {
              'content-type': 'application/json',
              'x-fanfare-timestamp': timestamp,
              'x-fanfare-signature': `sha256=${signature}`,
              'idempotency-key': stepKey(ref),
            },
            body: payload,
          },
          deps.webhook,
        );
      } catch (error) {
        if (!(error instanceof WebhookRefusedError)) throw error;
        const { host, address, category } = error.target;
        await writeStep(db, ref, 'failed', {
          reason: 'webhook_refused',
          output: { host, address, category },
        });
        throw businessFailure('E_WEBHOOK_REFUSED', error.message);
      }
      const { status } = response;
      const rejected =
        (status >= 300 && status < 400) || (status >= 400 && status < 500 && status !== 429);
      if (rejected) {
        await writeStep(db, ref, 'failed', { reason: `http_${status}` });
        throw businessFailure('E_WEBHOOK_REJECTED', `${input.url} answered ${status}`);
      }
      if (status < 200 || status >= 300) throw new Error(`${input.url} answered ${status}`);
      await writeStep(db, ref, 'completed', {
        output: { status, ...(response.truncated ? { responseTruncated: true } : {}) },
      });
    },
  };
}
