/**
 * Template messages against the brand's synced templates (docs/product.md#validation-codes):
 * every keyword of the template a message names must have a value (`E_CONFIG`, naming the
 * keyword), and a literal value longer than WeChat takes for its kind is `W_TEMPLATE_VALUE`.
 * A template the brand lacks is `E_UNKNOWN_RESOURCE`, from the resource check
 * (./resources.ts, through `action.push`'s `resources`). Applies to every template message a
 * push sends: its message and its fallback.
 */
import { issue, type Issue } from '../issues';
import { fieldPathLabel, stepNameWithKind } from '../labels';
import { pushTemplateMessages } from '../nodes/action-push';
import { parameterValues, substituteParams } from '../params';
import type { PushMessage } from '../schema/message';
import { charCount, keywordMax } from '../template-message';
import type { GraphModel, NodeInfo } from './model';
import type { BrandContext, BrandTemplate } from './resources';

type TemplateMessage = Extract<PushMessage, { type: 'template' }>;

/** The brand's template a message names (by WeChat id or our name), when it has one. */
export function findBrandTemplate(
  brand: Pick<BrandContext, 'messageTemplates'>,
  ref: string,
): BrandTemplate | undefined {
  return (
    brand.messageTemplates?.find((t) => t.id === ref) ??
    brand.messageTemplates?.find((t) => t.name === ref)
  );
}

export function checkTemplateMessages(
  model: GraphModel,
  brand: BrandContext,
  issues: Issue[],
): void {
  if (!brand.messageTemplates?.length) return;
  const params = parameterValues(model.doc);
  for (const info of model.order) {
    if (info.config === undefined) continue;
    for (const { message, path } of pushTemplateMessages(info.config))
      checkTemplateMessage(info, message, path, brand, params, issues);
  }
}

/** One template message of a step (`at`: its path in the step's config). */
export function checkTemplateMessage(
  info: Pick<NodeInfo, 'index' | 'node' | 'kind'>,
  message: TemplateMessage,
  at: (string | number)[],
  brand: BrandContext,
  params: Record<string, string>,
  issues: Issue[],
): void {
  const ref = substituteParams(message.templateId, params);
  // A template named by a run-time placeholder, or one the brand lacks (E_UNKNOWN_RESOURCE).
  if (ref.includes('{{')) return;
  const template = findBrandTemplate(brand, ref);
  if (!template) return;
  const name = stepNameWithKind(info.node);
  const field = info.kind ? fieldPathLabel(info.kind, [...at]) : null;
  const where = field
    ? { en: `${name.en}, "${field.en}"`, 'zh-CN': `${name['zh-CN']}的“${field['zh-CN']}”` }
    : name;
  const data = message.data ?? {};
  for (const keyword of template.keywords) {
    const path = ['nodes', info.index, 'config', ...at, 'data', keyword.key];
    const shown = keyword.label ? `"${keyword.label}" (${keyword.key})` : `"${keyword.key}"`;
    const shownZh = keyword.label ? `“${keyword.label}”（${keyword.key}）` : `“${keyword.key}”`;
    const value = data[keyword.key];
    if (value === undefined || value.trim() === '') {
      issues.push(
        issue(
          'E_CONFIG',
          {
            en: `${where.en}: the template "${template.title || template.name}" needs a value for ${shown}. Fill it in (placeholders such as {{coupon.code}} are allowed).`,
            'zh-CN': `${where['zh-CN']}：模板“${template.title || template.name}”的${shownZh}需要填写内容（可使用 {{coupon.code}} 等变量）。`,
          },
          { nodeId: info.node.id, path },
        ),
      );
      continue;
    }
    const literal = substituteParams(value, params);
    if (literal.includes('{{')) continue;
    const max = keywordMax(keyword.kind, literal);
    const length = charCount(literal);
    if (max !== undefined && length > max) {
      issues.push(
        issue(
          'W_TEMPLATE_VALUE',
          {
            en: `${where.en}: ${shown} has ${length} characters; WeChat takes at most ${max} for this kind of field and refuses the message otherwise. Shorten it.`,
            'zh-CN': `${where['zh-CN']}：${shownZh}有 ${length} 个字符，微信对这类字段最多接受 ${max} 个，超出会拒绝发送。请缩短。`,
          },
          { nodeId: info.node.id, path },
        ),
      );
    }
  }
}
