/**
 * The account's private template-message templates (docs/wechat.md#template-messages): listed by
 * `template/get_all_private_template`, deleted by `template/del_private_template`. The registry
 * itself (and its seed) is ../templates.ts. `message/template/send` with an id not listed is 40037.
 */
import type { SandboxAccount } from '../state';
import type { SandboxTemplate } from '../types';
import { type ApiContext, ApiFail, type ApiRoute, account, data, obj, ok, str } from './common';

/** WeChat's wire shape of one template. */
export function templateJson(t: SandboxTemplate) {
  return {
    template_id: t.templateId,
    title: t.title,
    primary_industry: t.primaryIndustry,
    deputy_industry: t.deputyIndustry,
    content: t.content,
    example: t.example,
  };
}

function getAll(ctx: ApiContext) {
  const acct = account(ctx);
  return data({ template_list: [...acct.templates.values()].map(templateJson) });
}

function del(ctx: ApiContext) {
  const acct = account(ctx);
  const id = str(obj(ctx.body).template_id, 40037, 'invalid template_id');
  if (!acct.templates.delete(id)) throw new ApiFail(40037, 'invalid template_id');
  return ok();
}

/** `message/template/send` refuses a template the account does not have. */
export function requireTemplate(acct: SandboxAccount, templateId: string): SandboxTemplate {
  const template = acct.templates.get(templateId);
  if (!template) throw new ApiFail(40037, 'invalid template_id');
  return template;
}

export const templateRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/cgi-bin/template/get_all_private_template',
    auth: true,
    handler: getAll,
  },
  { method: 'POST', path: '/cgi-bin/template/del_private_template', auth: true, handler: del },
];
