import { z } from 'zod';
import { Duration, durationMs } from '../schema/duration';
import { defineNode, NEXT } from './spec';

export const waitDelay = defineNode({
  kind: 'wait.delay',
  category: 'logic',
  title: { 'zh-CN': '等待', en: 'Wait' },
  config: z.strictObject({ duration: Duration }),
  ports: () => NEXT,
  plan: (c) => ({ ...c, durationMs: durationMs(c.duration) }),
  isWait: true,
  window: (c) => ({ waitMs: durationMs(c.duration) }),
});
