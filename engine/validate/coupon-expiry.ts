/**
 * W_COUPON_NO_EXPIRY: a step shows `{{coupon.expiresAt}}` after a coupon step whose pool has
 * no expiry — the follower would read an empty date. Needs the brand (which pools expire).
 */
import { issue, type Issue, type LocalizedText } from '../issues';
import type { BrandContext } from './resources';
import { reachableFrom } from './graph';
import type { GraphModel, NodeInfo } from './model';
import { findPlaceholders } from './placeholders';

/** A step in a sentence: its label, else the name of its kind. */
function stepName(info: NodeInfo): LocalizedText {
  const label = info.node.label?.trim();
  if (label) return { en: `"${label}"`, 'zh-CN': `「${label}」` };
  const title = info.spec?.title ?? { en: 'step', 'zh-CN': '节点' };
  return { en: `the ${title.en} step`, 'zh-CN': `「${title['zh-CN']}」步骤` };
}

const ARTICLE_FIELDS: Record<string, LocalizedText> = {
  title: { en: 'Title', 'zh-CN': '标题' },
  description: { en: 'Summary', 'zh-CN': '摘要' },
  url: { en: 'Link', 'zh-CN': '链接' },
  picUrl: { en: 'Cover image URL', 'zh-CN': '封面图片地址' },
};

/** The label of the field holding a placeholder, as the step's panel shows it; null: unknown. */
function fieldLabel(kind: string | null, path: (string | number)[]): LocalizedText | null {
  const [top, second, third, fourth] = path;
  if (kind === 'action.push' && top === 'message') {
    if (second === 'text') return { en: 'Message', 'zh-CN': '消息内容' };
    if (second === 'articles' && typeof third === 'number' && typeof fourth === 'string') {
      const field = ARTICLE_FIELDS[fourth];
      if (field)
        return {
          en: `Article ${third + 1} · ${field.en}`,
          'zh-CN': `第 ${third + 1} 篇 · ${field['zh-CN']}`,
        };
    }
    // A template's fields are labelled with their own keys (e.g. time3).
    if (second === 'data' && typeof third === 'string') return { en: third, 'zh-CN': third };
    if (second === 'url') return { en: 'Link (optional)', 'zh-CN': '跳转链接（可选）' };
    if (second === 'title') return { en: 'Title', 'zh-CN': '标题' };
  }
  if (kind === 'action.webhook' && top === 'body')
    return { en: 'JSON body (optional)', 'zh-CN': 'JSON 内容（可选）' };
  return null;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function checkCouponExpiry(model: GraphModel, brand: BrandContext, issues: Issue[]): void {
  const neverExpire = new Set(brand.couponPoolsWithoutExpiry ?? []);
  if (neverExpire.size === 0) return;
  const reported = new Set<string>();
  for (const coupon of model.order) {
    if (coupon.kind !== 'action.coupon') continue;
    const pool = (coupon.config as { pool?: string } | undefined)?.pool;
    if (!pool || !neverExpire.has(pool)) continue;
    const after = reachableFrom(model, [...(model.out.get(coupon.node.id)?.values() ?? [])]);
    for (const info of model.order) {
      if (!after.has(info.node.id) || info.node.config === undefined) continue;
      for (const p of findPlaceholders(info.node.config).placeholders) {
        if (p.name !== 'coupon.expiresAt') continue;
        const key = `${info.node.id}|${p.path.join('/')}|${pool}`;
        if (reported.has(key)) continue;
        reported.add(key);
        const step = stepName(info);
        const giver = stepName(coupon);
        const field = fieldLabel(info.kind, p.path);
        issues.push(
          issue(
            'W_COUPON_NO_EXPIRY',
            {
              en: `${capitalise(step.en)} shows {{coupon.expiresAt}}${field ? ` in "${field.en}"` : ''}, but the coupon pool "${pool}" that ${giver.en} gives codes from has no expiry, so the date would be empty. Give the pool an expiry on the Coupons page, or leave the date out.`,
              'zh-CN': `${step['zh-CN']}${field ? `的“${field['zh-CN']}”` : ''}使用了 {{coupon.expiresAt}}，但${giver['zh-CN']}发放的券池“${pool}”没有设置有效期，日期会显示为空。请在优惠券页面为该券池设置有效期，或去掉这个日期。`,
            },
            { nodeId: info.node.id, path: ['nodes', info.index, 'config', ...p.path] },
          ),
        );
      }
    }
  }
}
