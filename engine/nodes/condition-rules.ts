import { z } from 'zod';
import { Rules } from '../schema/rules';
import { defineNode, ruleResources } from './spec';
import { ruleFields } from '../schema/labels';

/** Branches on a json-rules-engine condition over the follower, event and journey facts. */
export const conditionRules = defineNode({
  kind: 'condition.rules',
  category: 'logic',
  title: { 'zh-CN': '条件判断', en: 'Condition' },
  config: z.strictObject({ rules: Rules }),
  fields: ruleFields('rules', { en: 'Rules', 'zh-CN': '条件' }),
  ports: () => ['yes', 'no'] as const,
  plan: (c) => c,
  resources: (c) => ruleResources(c.rules, ['rules']),
});
