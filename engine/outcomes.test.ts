import { describe, expect, it } from 'vitest';
import { REASONS, reasonText, stepText } from './outcomes';

/** Every reason the activities and the journey record (workflows/activities, journey.ts). */
const RECORDED = [
  'quota_closed',
  'quota_used',
  'unfollowed',
  'repeat_content',
  'frequency_cap',
  'brand_frequency_cap',
  'template_not_customer_service',
  'not_a_template',
  'refused',
  'delivery_unknown',
  'quiet_hours',
  'flow_paused',
  'unknown_pool',
  'pool_empty',
  'unknown_menu',
  'menu_not_published',
  'tag_refused',
  'webhook_refused',
  'exit_event',
  'goal',
  'archived',
];

describe('the words for what happened', () => {
  it('has a sentence in both languages for every reason recorded', () => {
    for (const reason of RECORDED) {
      expect(REASONS[reason], reason).toBeDefined();
      expect(REASONS[reason]!.en).toMatch(/\.$/);
      expect(REASONS[reason]!['zh-CN']).toMatch(/。$/);
    }
  });

  it('names a reason it does not know by its code, and a webhook status by its number', () => {
    expect(reasonText('something_new').en).toBe('Reason: something_new.');
    expect(reasonText('http_503')).toEqual({
      en: 'The webhook answered HTTP 503.',
      'zh-CN': 'Webhook 返回了 HTTP 503。',
    });
    expect(reasonText('E_POOL_EMPTY')).toEqual(REASONS.pool_empty);
  });

  it('says which branch a condition took, and why a push was not sent', () => {
    const rule = stepText(
      { kind: 'condition.rules', label: '是 VIP？' },
      { status: 'completed', reason: null, output: { port: 'yes' } },
    );
    expect(rule.en).toBe('"是 VIP？": the rule held, so the "Yes" branch was taken.');
    const push = stepText(
      { kind: 'action.push', label: '提醒' },
      { status: 'skipped', reason: 'quota_used', output: null },
      { channel: 'customer_service', outcome: 'skipped', text: '你好' },
    );
    expect(push['zh-CN']).toBe(`「提醒」：未以客服消息发送。${REASONS.quota_used!['zh-CN']}`);
  });
});
