/**
 * A webhook may not point inside a private network (SSRF): at save time, a URL whose host is an
 * IP literal or `localhost` is refused unless the operator allows it (WEBHOOK_ALLOW_HOSTS). Names
 * are checked again at connect time, on every address they resolve to (engine/net.ts).
 */
import type { Issue, LocalizedText } from '../issues';
import { refusedUrl, type RefusedTarget } from '../net';
import { FIELD_LABELS } from '../schema/field-labels';
import { configIssue, type GraphModel } from './model';

/** Where the refused address is, in a marketer's words. */
export function refusedPlace(category: RefusedTarget['category']): LocalizedText {
  if (category === 'loopback') return { en: 'the server itself', 'zh-CN': '服务器本机' };
  if (category === 'metadata')
    return {
      en: "a cloud server's internal metadata address",
      'zh-CN': '云服务器的内部元数据地址',
    };
  return { en: 'an address inside a private network', 'zh-CN': '内网地址' };
}

export function checkWebhooks(
  model: GraphModel,
  issues: Issue[],
  allowList: readonly string[],
): void {
  for (const info of model.order) {
    if (info.kind !== 'action.webhook' || info.config === undefined) continue;
    const refused = refusedUrl(allowList, (info.config as { url: string }).url);
    if (!refused) continue;
    const place = refusedPlace(refused.category);
    issues.push(
      configIssue(
        info,
        ['url'],
        {
          en: `points to ${refused.address}, ${place.en}; a webhook may only call public addresses, or ones your operator allows`,
          'zh-CN': `指向 ${refused.address}（${place['zh-CN']}）；Webhook 只能调用公网地址，或运维人员允许的地址`,
        },
        FIELD_LABELS.url,
      ),
    );
  }
}
