import { z } from 'zod';
import { defineNode, noPorts } from './spec';

export const flowEnd = defineNode({
  kind: 'flow.end',
  category: 'logic',
  title: { 'zh-CN': '结束', en: 'End' },
  config: z.strictObject({}),
  fields: {},
  ports: () => noPorts,
  plan: (c) => c,
});
