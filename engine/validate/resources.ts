/**
 * Checks that need the brand: every tag / coupon pool / menu / template the flow names must
 * exist, and the tags it creates must fit WeChat's budget (100 per account, 20 per follower).
 */
import { issue, nodeName, type Issue, type LocalizedText } from '../issues';
import { matcherResources, type ResourceKind, type ResourceRef } from '../nodes/index';
import { reachableFrom, triggersOf } from './graph';
import type { GraphModel } from './model';

/** What a brand has, as publishing sees it. */
export interface BrandContext {
  tags: string[];
  couponPools: string[];
  menus: string[];
  /** WeChat template ids usable by `action.push` template messages. */
  templates: string[];
  /** QR scenes of the brand's channels; when given, triggers must use known scenes. */
  qrScenes?: string[];
  /** Tags already on the WeChat account (defaults to `tags.length`). */
  accountTagCount?: number;
}

export const ACCOUNT_TAG_LIMIT = 100;
export const FOLLOWER_TAG_LIMIT = 20;

const KIND_TEXT: Record<ResourceKind, LocalizedText> = {
  tag: { en: 'tag', 'zh-CN': '标签' },
  couponPool: { en: 'coupon pool', 'zh-CN': '券池' },
  menu: { en: 'menu', 'zh-CN': '菜单' },
  qrScene: { en: 'QR scene', 'zh-CN': '二维码场景' },
  template: { en: 'message template', 'zh-CN': '消息模板' },
};

function known(brand: BrandContext, ref: ResourceRef): boolean {
  switch (ref.kind) {
    case 'tag':
      return brand.tags.includes(ref.value);
    case 'couponPool':
      return brand.couponPools.includes(ref.value);
    case 'menu':
      return brand.menus.includes(ref.value);
    case 'template':
      return brand.templates.includes(ref.value);
    case 'qrScene': {
      if (!brand.qrScenes) return true;
      const prefix = ref.value.endsWith('*') ? ref.value.slice(0, -1) : null;
      return brand.qrScenes.some((s) => (prefix !== null ? s.startsWith(prefix) : s === ref.value));
    }
  }
}

export function checkResources(model: GraphModel, brand: BrandContext, issues: Issue[]): void {
  const newTags = new Map<string, { nodeId: string; path: (string | number)[] }>();
  const addsByNode = new Map<string, string[]>();

  for (const info of model.order) {
    if (!info.spec?.resources || info.config === undefined) continue;
    for (const ref of info.spec.resources(info.config)) {
      // A placeholder is checked once a template is bound to this brand.
      if (ref.value.includes('{{')) continue;
      const path = ['nodes', info.index, 'config', ...ref.path];
      if (ref.kind === 'tag' && ref.use === 'add') {
        addsByNode.set(info.node.id, [...(addsByNode.get(info.node.id) ?? []), ref.value]);
        if (!brand.tags.includes(ref.value) && !newTags.has(ref.value))
          newTags.set(ref.value, { nodeId: info.node.id, path });
        continue;
      }
      if (known(brand, ref)) continue;
      const name = nodeName(info.node);
      const what = KIND_TEXT[ref.kind];
      issues.push(
        issue(
          'E_UNKNOWN_RESOURCE',
          {
            en: `${name.en} uses the ${what.en} "${ref.value}", which this brand does not have.`,
            'zh-CN': `${name['zh-CN']}使用的${what['zh-CN']}“${ref.value}”在该品牌中不存在。`,
          },
          { nodeId: info.node.id, path },
        ),
      );
    }
  }
  for (const [i, m] of (model.doc.settings?.exitOn ?? []).entries())
    checkSettingRefs(brand, matcherResources(m, ['settings', 'exitOn', i]), issues);
  if (model.doc.settings?.goal)
    checkSettingRefs(
      brand,
      matcherResources(model.doc.settings.goal.event, ['settings', 'goal', 'event']),
      issues,
    );

  const onAccount = brand.accountTagCount ?? brand.tags.length;
  if (newTags.size > 0 && onAccount + newTags.size > ACCOUNT_TAG_LIMIT) {
    const [first] = newTags.values();
    issues.push(
      issue(
        'E_TAG_BUDGET',
        {
          en: `This flow creates ${newTags.size} new tag(s), but the account already has ${onAccount} of WeChat's ${ACCOUNT_TAG_LIMIT} tags; reuse existing tags or delete unused ones.`,
          'zh-CN': `该流程会新建 ${newTags.size} 个标签，但公众号已有 ${onAccount} 个标签（微信上限 ${ACCOUNT_TAG_LIMIT} 个）；请复用已有标签或删除不用的标签。`,
        },
        { nodeId: first!.nodeId, path: first!.path },
      ),
    );
  }
  checkFollowerBudget(model, addsByNode, issues);
}

function checkSettingRefs(brand: BrandContext, refs: ResourceRef[], issues: Issue[]): void {
  for (const ref of refs) {
    if (ref.value.includes('{{') || known(brand, ref)) continue;
    const what = KIND_TEXT[ref.kind];
    issues.push(
      issue(
        'E_UNKNOWN_RESOURCE',
        {
          en: `The flow settings use the ${what.en} "${ref.value}", which this brand does not have.`,
          'zh-CN': `流程设置使用的${what['zh-CN']}“${ref.value}”在该品牌中不存在。`,
        },
        { path: ref.path },
      ),
    );
  }
}

/**
 * Tags one journey may add: the union over everything reachable from its trigger (an upper
 * bound — exclusive branches are counted together) plus one reserved tag per menu swap.
 */
function checkFollowerBudget(
  model: GraphModel,
  addsByNode: Map<string, string[]>,
  issues: Issue[],
): void {
  for (const trigger of triggersOf(model)) {
    const tags = new Set<string>();
    let menuTag = false;
    for (const id of reachableFrom(model, [trigger.node.id])) {
      for (const t of addsByNode.get(id) ?? []) tags.add(t);
      if (model.nodes.get(id)?.kind === 'action.menu_swap') menuTag = true;
    }
    const count = tags.size + (menuTag ? 1 : 0);
    if (count <= FOLLOWER_TAG_LIMIT) continue;
    const name = nodeName(trigger.node);
    issues.push(
      issue(
        'E_TAG_BUDGET',
        {
          en: `A follower entering at ${name.en} may receive ${count} tags from this flow, more than the ${FOLLOWER_TAG_LIMIT} WeChat allows per follower.`,
          'zh-CN': `从 ${name['zh-CN']}进入的粉丝可能被打上 ${count} 个标签，超过微信每位粉丝最多 ${FOLLOWER_TAG_LIMIT} 个的限制。`,
        },
        { nodeId: trigger.node.id, path: ['nodes', trigger.index] },
      ),
    );
  }
}
