import { z } from 'zod';
import { Duration, durationMs } from '../schema/duration';
import { EventMatcher } from '../schema/event-matcher';
import { defineNode, INTERACTIVE_EVENTS, matcherResources } from './spec';

/** Waits for an event (port `matched`) or gives up after `timeout` (port `timeout`). */
export const waitEvent = defineNode({
  kind: 'wait.event',
  category: 'logic',
  title: { 'zh-CN': '等待事件', en: 'Wait for event' },
  config: z.strictObject({ event: EventMatcher, timeout: Duration }),
  ports: () => ['matched', 'timeout'] as const,
  plan: (c) => ({ ...c, timeoutMs: durationMs(c.timeout) }),
  isWait: true,
  window: (c, port) =>
    port === 'timeout'
      ? { waitMs: durationMs(c.timeout) }
      : INTERACTIVE_EVENTS.includes(c.event.type)
        ? 'reopen'
        : { waitMs: 0 },
  resources: (c) => matcherResources(c.event, ['event']),
});
