import { z } from 'zod';
import { Duration, durationMs } from '../schema/duration';
import { defineNode, NEXT } from './spec';

export const waitDelay = defineNode({
  kind: 'wait.delay',
  category: 'logic',
  title: { 'zh-CN': '等待', en: 'Wait' },
  config: z.strictObject({ duration: Duration }),
  fields: { duration: { en: 'Wait for', 'zh-CN': '等待时长', type: 'duration' } },
  ports: () => NEXT,
  plan: (c) => ({ ...c, durationMs: durationMs(c.duration) }),
  isWait: true,
  quota: (c) => ({ waitMs: durationMs(c.duration) }),
});
