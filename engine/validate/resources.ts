/**
 * Checks that need the brand: every tag / coupon pool / menu / template the flow names must
 * exist (or, for a tag, be added by the flow's own tag steps), and the tags it creates must fit
 * WeChat's budget (100 per account, 20 per follower; a tag named by a placeholder is a warning,
 * since its number of values is unknown).
 */
import { issue, type Issue, type LocalizedText } from '../issues';
import { fieldPathLabel, stepName, stepNameWithKind } from '../labels';
import { matcherResources, type ResourceKind, type ResourceRef } from '../nodes/index';
import { paramNames, parameterValues, substituteParams } from '../params';
import { reachableFrom, triggersOf } from './graph';
import type { GraphModel } from './model';
import type { TemplateKeyword } from '../template-message';

/** A template-message template of the brand, as synced from WeChat. */
export interface BrandTemplate {
  /** WeChat's template id. */
  id: string;
  /** Our name for it (a flow may name the template by either). */
  name: string;
  title: string;
  /** What a message must fill (empty: not known, nothing is checked). */
  keywords: TemplateKeyword[];
}

/** What a brand has, as publishing sees it. */
export interface BrandContext {
  tags: string[];
  couponPools: string[];
  /** Pools whose codes never expire (`{{coupon.expiresAt}}` from them renders empty). */
  couponPoolsWithoutExpiry?: string[];
  menus: string[];
  /** WeChat template ids usable by `action.push` template messages. */
  templates: string[];
  /**
   * The templates with their keywords: a template message must fill each keyword of the
   * template it names (engine/validate/template-messages.ts).
   */
  messageTemplates?: BrandTemplate[];
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

/** What to do about a missing resource, when it is not "create it first". */
const FIX_TEXT: Partial<Record<ResourceKind, LocalizedText>> = {
  template: {
    en: "Choose one of its synced templates, or add the template to the Official Account on WeChat and sync the brand's message templates.",
    'zh-CN': '请选择已同步的模板，或先在微信公众平台添加该模板，再同步品牌的模板消息。',
  },
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

/** A value with run-time placeholders (`{{event.scene}}`); `{{params.x}}` is bound before. */
const hasRunTimePlaceholder = (value: string) =>
  value.replace(/\{\{\s*params\.[^}]*\}\}/g, '').includes('{{');

/**
 * What compile will see: a `{{params.x}}` becomes x's default (compile binds defaults), so a
 * default naming a resource the brand lacks is caught here, at the parameter. A placeholder
 * without a value is checked once a template is bound to this brand.
 */
function bindDefaults(
  model: GraphModel,
  ref: ResourceRef,
): { ref: ResourceRef; param: { name: string; index: number } | null } | null {
  if (!ref.value.includes('{{')) return { ref, param: null };
  const value = substituteParams(ref.value, parameterValues(model.doc));
  if (value.includes('{{')) return null;
  const declared = model.doc.parameters ?? [];
  const name = paramNames(ref.value)[0];
  const index = declared.findIndex((p) => p.name === name);
  return { ref: { ...ref, value }, param: name && index >= 0 ? { name, index } : null };
}

/** " (the default of the template parameter "Pool")", when the value came from one. */
function fromParam(
  model: GraphModel,
  param: { name: string; index: number } | null,
): LocalizedText {
  if (!param) return { en: '', 'zh-CN': '' };
  const label = model.doc.parameters?.[param.index]?.label || param.name;
  return {
    en: ` (the default of the template parameter "${label}")`,
    'zh-CN': `（模板参数“${label}”的默认值）`,
  };
}

export function checkResources(
  model: GraphModel,
  brand: BrandContext,
  issues: Issue[],
  cache?: RefsCache,
): void {
  const newTags = new Map<string, { nodeId: string; path: (string | number)[] }>();
  const addsByNode = new Map<string, string[]>();
  /** Tags named by a placeholder: one WeChat tag per distinct value. */
  const perValueTags = new Map<
    string,
    { info: (typeof model.order)[number]; path: (string | number)[] }
  >();

  const refs = model.order.flatMap((info) =>
    info.spec?.resources && info.config !== undefined
      ? refsOf(info.spec, info.config, cache).map((ref) => ({ info, ref }))
      : [],
  );
  // The flow's own tag steps create their tags on first use: its conditions, exits and goals
  // may name them before any journey has run.
  const ownTags = new Set(
    refs.flatMap(({ ref }) =>
      ref.kind === 'tag' && ref.use === 'add' && !ref.value.includes('{{') ? [ref.value] : [],
    ),
  );
  const knows = (ref: ResourceRef) =>
    known(brand, ref) || (ref.kind === 'tag' && ownTags.has(ref.value));

  for (const { info, ref: written } of refs) {
    if (hasRunTimePlaceholder(written.value)) {
      if (written.kind === 'tag' && written.use === 'add') {
        // One tag per journey, whatever its value: that is what the follower budget counts.
        const path = ['nodes', info.index, 'config', ...written.path];
        addsByNode.set(info.node.id, [...(addsByNode.get(info.node.id) ?? []), written.value]);
        if (!perValueTags.has(written.value)) perValueTags.set(written.value, { info, path });
      }
      continue;
    }
    const bound = bindDefaults(model, written);
    if (!bound) continue;
    const { ref, param } = bound;
    const path = param
      ? ['parameters', param.index, 'default']
      : ['nodes', info.index, 'config', ...ref.path];
    if (ref.kind === 'tag' && ref.use === 'add') {
      addsByNode.set(info.node.id, [...(addsByNode.get(info.node.id) ?? []), ref.value]);
      if (!brand.tags.includes(ref.value) && !newTags.has(ref.value))
        newTags.set(ref.value, { nodeId: info.node.id, path });
      continue;
    }
    if (knows(ref)) continue;
    const name = stepNameWithKind(info.node);
    const field = info.kind ? fieldPathLabel(info.kind, ref.path) : null;
    const what = KIND_TEXT[ref.kind];
    const via = fromParam(model, param);
    const fix = FIX_TEXT[ref.kind] ?? {
      en: `Choose one it has, or create it first.`,
      'zh-CN': `请选择已有的${what['zh-CN']}，或先创建它。`,
    };
    issues.push(
      issue(
        'E_UNKNOWN_RESOURCE',
        {
          en: `${name.en}${field ? `, "${field.en}"` : ''}: this brand has no ${what.en} "${ref.value}"${via.en}. ${fix.en}`,
          'zh-CN': `${name['zh-CN']}${field ? `的“${field['zh-CN']}”` : ''}：该品牌没有${what['zh-CN']}“${ref.value}”${via['zh-CN']}。${fix['zh-CN']}`,
        },
        { nodeId: info.node.id, path },
      ),
    );
  }
  for (const [i, m] of (model.doc.settings?.exitOn ?? []).entries())
    checkSettingRefs(knows, matcherResources(m, ['settings', 'exitOn', i]), issues);
  if (model.doc.settings?.goal)
    checkSettingRefs(
      knows,
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
  // How many tags a placeholder makes is unknown until followers arrive: say so, with what is
  // left of the budget (a refused tag is recorded on the journey step).
  const left = Math.max(0, ACCOUNT_TAG_LIMIT - onAccount - newTags.size);
  for (const [value, { info, path }] of perValueTags) {
    const name = stepNameWithKind(info.node);
    issues.push(
      issue(
        'W_TAG_BUDGET',
        {
          en: `${name.en} adds the tag "${value}": one new WeChat tag for each different value, and how many there will be is unknown. The account has room for ${left} more of WeChat's ${ACCOUNT_TAG_LIMIT} tags; once they are used up, further tags are refused and the journey records it.`,
          'zh-CN': `${name['zh-CN']}添加的标签“${value}”会按每个不同的取值新建一个微信标签，数量无法预知。公众号还可新建 ${left} 个标签（微信上限 ${ACCOUNT_TAG_LIMIT} 个）；用完后新的标签会被拒绝，旅程会记录原因。`,
        },
        { nodeId: info.node.id, path },
      ),
    );
  }
  checkFollowerBudget(model, addsByNode, issues);
}

/** Parsed config → the resources it names (engine/validate/incremental.ts keeps one). */
export interface RefsCache {
  refs: WeakMap<object, ResourceRef[]>;
}

/** The resources a config names, memoised by config object in the editor (./incremental.ts). */
function refsOf(
  spec: { resources?(config: unknown): ResourceRef[] },
  config: unknown,
  cache: RefsCache | undefined,
): ResourceRef[] {
  if (!cache || typeof config !== 'object' || config === null) return spec.resources!(config);
  let refs = cache.refs.get(config);
  if (!refs) cache.refs.set(config, (refs = spec.resources!(config)));
  return refs;
}

function checkSettingRefs(
  knows: (ref: ResourceRef) => boolean,
  refs: ResourceRef[],
  issues: Issue[],
): void {
  for (const ref of refs) {
    if (ref.value.includes('{{') || knows(ref)) continue;
    const what = KIND_TEXT[ref.kind];
    const field = fieldPathLabel('document', ref.path) ?? {
      en: 'Flow settings',
      'zh-CN': '流程设置',
    };
    issues.push(
      issue(
        'E_UNKNOWN_RESOURCE',
        {
          en: `Flow settings, "${field.en}": this brand has no ${what.en} "${ref.value}". Choose one it has, or create it first.`,
          'zh-CN': `流程设置“${field['zh-CN']}”：该品牌没有${what['zh-CN']}“${ref.value}”。请选择已有的${what['zh-CN']}，或先创建它。`,
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
    const name = stepName(trigger.node);
    issues.push(
      issue(
        'E_TAG_BUDGET',
        {
          en: `A follower entering at ${name.en} may receive ${count} tags from this flow, more than the ${FOLLOWER_TAG_LIMIT} WeChat allows per follower.`,
          'zh-CN': `从${name['zh-CN']}进入的粉丝可能被打上 ${count} 个标签，超过微信每位粉丝最多 ${FOLLOWER_TAG_LIMIT} 个的限制。`,
        },
        { nodeId: trigger.node.id, path: ['nodes', trigger.index] },
      ),
    );
  }
}
