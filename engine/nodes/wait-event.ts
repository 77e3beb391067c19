import { z } from 'zod';
import { Duration, durationMs } from '../schema/duration';
import { EventMatcher } from '../schema/event-matcher';
import { defineNode, matcherResources, QUOTA_OPENING_EVENTS } from './spec';
import { MATCHER_FIELDS, under } from '../schema/labels';

/** Waits for an event (port `matched`) or gives up after `timeout` (port `timeout`). */
export const waitEvent = defineNode({
  kind: 'wait.event',
  category: 'logic',
  title: { 'zh-CN': '等待事件', en: 'Wait for event' },
  config: z.strictObject({ event: EventMatcher, timeout: Duration }),
  fields: {
    event: { en: 'Wait for', 'zh-CN': '等待的事件' },
    ...under('event', MATCHER_FIELDS),
    timeout: { en: 'Wait at most', 'zh-CN': '最多等待', type: 'duration' },
  },
  ports: () => ['matched', 'timeout'] as const,
  plan: (c) => ({ ...c, timeoutMs: durationMs(c.timeout) }),
  isWait: true,
  quota: (c, port) => {
    if (port === 'timeout') return { waitMs: durationMs(c.timeout) };
    const opens = QUOTA_OPENING_EVENTS[c.event.type];
    return opens ? { opens } : { waitMs: 0 };
  },
  resources: (c) => matcherResources(c.event, ['event']),
});
