/**
 * Each sandbox account's private template-message templates: a few realistic ones to start
 * with (docs/wechat.md#template-messages); the control API adds or removes more, and
 * api/templates.ts serves them as WeChat does.
 */
import { createHash } from 'node:crypto';
import type { SandboxTemplate, SeedTemplate } from './types';

/** The part of an account the registry works on. */
export interface TemplateRegistry {
  appId: string;
  templates: Map<string, SandboxTemplate>;
}

/** What every account starts with (a café's membership templates). */
export const DEFAULT_TEMPLATES: readonly SeedTemplate[] = [
  {
    title: '会员注册成功通知',
    content:
      '会员名称：{{thing1.DATA}}\n会员卡号：{{character_string2.DATA}}\n注册时间：{{time3.DATA}}',
    example: '会员名称：猫咖会员\n会员卡号：VIP20240520\n注册时间：2024年5月20日 12:00',
  },
  {
    title: '优惠券到账提醒',
    content: '优惠券：{{thing1.DATA}}\n券码：{{character_string2.DATA}}\n到期时间：{{time3.DATA}}',
    example: '优惠券：拿铁第二杯半价\n券码：CUP8K2Q9\n到期时间：2024年12月31日 23:59',
  },
  {
    title: '生日祝福',
    content: '会员姓名：{{thing1.DATA}}\n生日礼遇：{{thing2.DATA}}\n领取期限：{{date3.DATA}}',
    example: '会员姓名：小林\n生日礼遇：免费蛋糕一份\n领取期限：2024年5月27日',
  },
];

/** How many private templates an account may hold (WeChat: 25; api_add_template then 45026). */
export const TEMPLATES_PER_ACCOUNT = 25;

/** A WeChat-looking template id (43 characters), stable for an account and title. */
export function templateIdFor(appId: string, title: string, n = 0): string {
  return createHash('sha256')
    .update(`${appId}\u0000${title}\u0000${n}`)
    .digest('base64url')
    .slice(0, 43);
}

/**
 * Adds a template to the account (or replaces the one with the same id); null when the account
 * already has as many as WeChat allows.
 */
export function addTemplate(acct: TemplateRegistry, seed: SeedTemplate): SandboxTemplate | null {
  let templateId = seed.templateId;
  for (let n = 0; !templateId || (!seed.templateId && acct.templates.has(templateId)); n++)
    templateId = templateIdFor(acct.appId, seed.title, n);
  if (!acct.templates.has(templateId) && acct.templates.size >= TEMPLATES_PER_ACCOUNT) return null;
  const template: SandboxTemplate = {
    templateId,
    title: seed.title,
    primaryIndustry: seed.primaryIndustry ?? '餐饮',
    deputyIndustry: seed.deputyIndustry ?? '餐饮',
    content: seed.content,
    example: seed.example ?? '',
  };
  acct.templates.set(templateId, template);
  return template;
}

export function seedDefaultTemplates(acct: TemplateRegistry): void {
  for (const seed of DEFAULT_TEMPLATES) addTemplate(acct, seed);
}
