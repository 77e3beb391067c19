/**
 * How a marketer knows each field: its label in the panel, in both languages, written once.
 * The editor's panels read their labels from here and validation messages name fields with
 * them, so the two cannot drift (engine/labels.ts resolves a JSON path to its label).
 *
 * A table maps path patterns (relative to a node's config, or to the document for the flow
 * settings) to labels: segments joined by `.`, `*` for one segment (an index or a key), `**`
 * for any number of them. `{n}` in a label is the 1-based position of the last index matched.
 */
import type { LocalizedText } from '../issues';

export interface FieldLabel extends LocalizedText {
  /** Shown as "(optional)" by the editor; never part of a message. */
  optional?: boolean;
  /** How a value of the field reads (publish diffs): as a duration, a time, an option… */
  type?: 'duration' | 'time' | 'weekdays' | 'rules' | 'keyed';
  /**
   * A group of fields (a message, a list of branches): named in a sentence only when the
   * problem is with the group itself, not before the label of one of its fields.
   */
  group?: boolean;
  /** Labels of the values of a field with fixed choices. */
  options?: Readonly<Record<string, LocalizedText>>;
}
export type FieldLabels = Readonly<Record<string, FieldLabel>>;

/** Prefixes every pattern of a table (`event` + `keywords` → `event.keywords`). */
export function under(prefix: string, table: FieldLabels): FieldLabels {
  return Object.fromEntries(Object.entries(table).map(([k, v]) => [`${prefix}.${k}`, v]));
}

// --- pieces shared by several kinds ------------------------------------------------------

/** Inside a condition tree (`rules.all.0.value`): the parts of one condition. */
export function ruleFields(base: string, label: FieldLabel): FieldLabels {
  return {
    [base]: { ...label, type: 'rules' },
    [`${base}.**.fact`]: { en: 'Field', 'zh-CN': '字段' },
    [`${base}.**.path`]: { en: 'Field', 'zh-CN': '字段' },
    [`${base}.**.operator`]: { en: 'Operator', 'zh-CN': '运算符' },
    [`${base}.**.value`]: { en: 'Value', 'zh-CN': '值' },
  };
}

export const MATCH_OPTIONS = {
  exact: { en: 'exact', 'zh-CN': '完全匹配' },
  contains: { en: 'contains', 'zh-CN': '包含' },
  regex: { en: 'regular expression', 'zh-CN': '正则表达式' },
} as const satisfies Record<string, LocalizedText>;

/** `trigger.keyword` and a keyword EventMatcher: the same two fields, the same choices. */
export const KEYWORD_FIELDS: FieldLabels = {
  keywords: { en: 'Keywords', 'zh-CN': '关键词' },
  match: { en: 'Matching', 'zh-CN': '匹配方式', options: MATCH_OPTIONS },
};

export const WHO_OPTIONS = {
  both: { en: 'new and existing followers', 'zh-CN': '新老粉丝' },
  new: { en: 'new followers', 'zh-CN': '新粉丝' },
  existing: { en: 'existing followers', 'zh-CN': '老粉丝' },
} as const satisfies Record<string, LocalizedText>;

export const EVENT_TYPE_OPTIONS = {
  follow: { en: 'Follow', 'zh-CN': '关注' },
  unfollow: { en: 'Unfollow', 'zh-CN': '取消关注' },
  qr_scan: { en: 'QR scan', 'zh-CN': '扫码' },
  keyword: { en: 'Keyword', 'zh-CN': '关键词' },
  menu_click: { en: 'Menu click', 'zh-CN': '点击菜单' },
  location: { en: 'Location', 'zh-CN': '上报位置' },
  purchase: { en: 'Purchase', 'zh-CN': '购买' },
  tag_added: { en: 'Tag added', 'zh-CN': '被打标签' },
  custom: { en: 'Custom event', 'zh-CN': '自定义事件' },
} as const satisfies Record<string, LocalizedText>;

export const LOCATION_FIELDS: FieldLabels = {
  center: { en: 'Centre', 'zh-CN': '中心点' },
  'center.lat': { en: 'Latitude', 'zh-CN': '纬度' },
  'center.lng': { en: 'Longitude', 'zh-CN': '经度' },
  radiusM: { en: 'Radius (metres)', 'zh-CN': '半径（米）' },
};

/** The filters of an EventMatcher (wait.event, exit events, the goal), relative to it. */
export const MATCHER_FIELDS: FieldLabels = {
  type: { en: 'Event', 'zh-CN': '事件', options: EVENT_TYPE_OPTIONS },
  scenes: { en: 'Only via QR scenes', 'zh-CN': '仅限这些二维码场景', optional: true },
  firstTimeOnly: {
    en: 'First follow only (not a re-follow)',
    'zh-CN': '仅首次关注（不含重新关注）',
  },
  who: { en: 'Who', 'zh-CN': '粉丝类型', options: WHO_OPTIONS },
  ...KEYWORD_FIELDS,
  keys: { en: 'Menu button keys', 'zh-CN': '菜单按钮 key' },
  ...LOCATION_FIELDS,
  category: { en: 'Category', 'zh-CN': '品类', optional: true },
  minAmount: { en: 'Minimum amount', 'zh-CN': '最低金额', optional: true },
  tag: { en: 'Tag', 'zh-CN': '标签', optional: true },
  name: { en: 'Event name', 'zh-CN': '事件名' },
  ...ruleFields('where', { en: 'Only when', 'zh-CN': '仅当', optional: true }),
};

export const MESSAGE_TYPE_OPTIONS = {
  text: { en: 'Text', 'zh-CN': '文字' },
  news: { en: 'Article', 'zh-CN': '图文' },
  image: { en: 'Image', 'zh-CN': '图片' },
  template: { en: 'Template message', 'zh-CN': '模板消息' },
  miniprogram: { en: 'Mini program card', 'zh-CN': '小程序卡片' },
} as const satisfies Record<string, LocalizedText>;

/** What `action.push` sends, relative to its `message`. */
export const MESSAGE_FIELDS: FieldLabels = {
  type: { en: 'Message type', 'zh-CN': '消息类型', options: MESSAGE_TYPE_OPTIONS },
  text: { en: 'Message', 'zh-CN': '消息内容' },
  articles: { en: 'Articles', 'zh-CN': '图文', group: true },
  'articles.*': { en: 'Article {n}', 'zh-CN': '第 {n} 篇' },
  'articles.*.title': { en: 'Title', 'zh-CN': '标题' },
  'articles.*.description': { en: 'Summary', 'zh-CN': '摘要' },
  'articles.*.url': { en: 'Link', 'zh-CN': '链接' },
  'articles.*.picUrl': { en: 'Cover image URL', 'zh-CN': '封面图片地址' },
  mediaId: { en: 'Media id', 'zh-CN': '素材 ID' },
  templateId: { en: 'Template', 'zh-CN': '模板' },
  data: { en: 'Template fields', 'zh-CN': '模板字段', type: 'keyed' },
  url: { en: 'Link', 'zh-CN': '跳转链接', optional: true },
  miniprogram: { en: 'Mini program', 'zh-CN': '小程序' },
  'miniprogram.appId': { en: 'Mini program AppID', 'zh-CN': '小程序 AppID' },
  'miniprogram.pagePath': { en: 'Page path', 'zh-CN': '页面路径' },
  title: { en: 'Title', 'zh-CN': '标题' },
  appId: { en: 'Mini program AppID', 'zh-CN': '小程序 AppID' },
  pagePath: { en: 'Page path', 'zh-CN': '页面路径' },
  thumbMediaId: { en: 'Thumbnail media id', 'zh-CN': '封面素材 ID' },
};

/** `action.push`'s template fallback, relative to its `fallback`. */
export const FALLBACK_FIELDS: FieldLabels = {
  type: MESSAGE_FIELDS.type!,
  templateId: MESSAGE_FIELDS.templateId!,
  data: MESSAGE_FIELDS.data!,
  url: MESSAGE_FIELDS.url!,
  miniprogram: MESSAGE_FIELDS.miniprogram!,
  'miniprogram.appId': MESSAGE_FIELDS['miniprogram.appId']!,
  'miniprogram.pagePath': MESSAGE_FIELDS['miniprogram.pagePath']!,
};

export const CHANNEL_OPTIONS = {
  auto: { en: 'Best channel', 'zh-CN': '自动选择' },
  customer_service: { en: 'Customer service', 'zh-CN': '客服消息' },
  template: { en: 'Template message', 'zh-CN': '模板消息' },
} as const satisfies Record<string, LocalizedText>;

export const GENDER_OPTIONS = {
  female: { en: 'Female', 'zh-CN': '女' },
  male: { en: 'Male', 'zh-CN': '男' },
  other: { en: 'Other', 'zh-CN': '其他' },
} as const satisfies Record<string, LocalizedText>;

export const TIME_OF_DAY: FieldLabel = { en: 'Time of day', 'zh-CN': '时间', type: 'time' };
export const DAYS_BEFORE: FieldLabel = { en: 'Days before', 'zh-CN': '提前天数' };

// --- the document and its settings --------------------------------------------------------

export const REENTRY_OPTIONS = {
  once: { en: 'Once per follower, ever', 'zh-CN': '每位粉丝只进入一次' },
  after_exit: {
    en: 'Again after the previous journey ended',
    'zh-CN': '上一次旅程结束后可再次进入',
  },
  always: { en: 'Every time (one journey per event)', 'zh-CN': '每次都进入（每个事件一段旅程）' },
} as const satisfies Record<string, LocalizedText>;

/** Paths relative to the document: its name, the flow settings, and its raw structure. */
export const DOCUMENT_FIELDS: FieldLabels = {
  format: { en: 'File format', 'zh-CN': '文件格式' },
  name: { en: 'Name', 'zh-CN': '名称' },
  description: { en: 'Description', 'zh-CN': '描述' },
  'settings.entry': { en: 'Re-entry', 'zh-CN': '重复进入', options: REENTRY_OPTIONS },
  'settings.entry.reentry': { en: 'Re-entry', 'zh-CN': '重复进入', options: REENTRY_OPTIONS },
  'settings.timezone': { en: 'Time zone', 'zh-CN': '时区' },
  'settings.quietHours': { en: 'Quiet hours', 'zh-CN': '免打扰时段' },
  'settings.quietHours.from': { en: 'From', 'zh-CN': '开始', type: 'time' },
  'settings.quietHours.to': { en: 'To', 'zh-CN': '结束', type: 'time' },
  'settings.frequencyCap': { en: 'Frequency cap', 'zh-CN': '频次上限' },
  'settings.frequencyCap.max': { en: 'At most', 'zh-CN': '最多' },
  'settings.frequencyCap.per': { en: 'Per', 'zh-CN': '每', type: 'duration' },
  'settings.exitOn': { en: 'Leave at once when', 'zh-CN': '出现以下事件立即退出', group: true },
  'settings.exitOn.*': { en: 'Exit event {n}', 'zh-CN': '退出事件 {n}' },
  ...under('settings.exitOn.*', MATCHER_FIELDS),
  'settings.goal': { en: 'Goal', 'zh-CN': '转化目标' },
  'settings.goal.event': { en: 'Goal event', 'zh-CN': '目标事件' },
  ...under('settings.goal.event', MATCHER_FIELDS),
  'settings.goal.within': { en: 'Within', 'zh-CN': '时限', type: 'duration' },
  parameters: { en: 'Parameters', 'zh-CN': '参数', group: true },
  'parameters.*': { en: 'Parameter {n}', 'zh-CN': '参数 {n}' },
  'parameters.*.name': { en: 'Parameter name', 'zh-CN': '参数名' },
  'parameters.*.kind': {
    en: 'Parameter type',
    'zh-CN': '参数类型',
    options: {
      couponPool: { en: 'Coupon pool', 'zh-CN': '券池' },
      menu: { en: 'Menu', 'zh-CN': '菜单' },
      tag: { en: 'Tag', 'zh-CN': '标签' },
      qrScene: { en: 'QR scene', 'zh-CN': '二维码场景' },
      text: { en: 'Text', 'zh-CN': '文字' },
      template: { en: 'Message template', 'zh-CN': '消息模板' },
    },
  },
  'parameters.*.label': { en: 'Parameter label', 'zh-CN': '参数说明' },
  'parameters.*.default': { en: 'Default value', 'zh-CN': '默认值' },
  nodes: { en: 'Steps', 'zh-CN': '步骤', group: true },
  'nodes.*': { en: 'Step {n}', 'zh-CN': '第 {n} 个步骤' },
  'nodes.*.id': { en: 'Step id', 'zh-CN': '步骤编号' },
  'nodes.*.kind': { en: 'Step type', 'zh-CN': '步骤类型' },
  'nodes.*.label': { en: 'Label', 'zh-CN': '名称' },
  'nodes.*.position': { en: 'Position', 'zh-CN': '位置' },
  'nodes.*.config': { en: 'Step settings', 'zh-CN': '步骤设置' },
  edges: { en: 'Connections', 'zh-CN': '连线', group: true },
  'edges.*': { en: 'Connection {n}', 'zh-CN': '第 {n} 条连线' },
  'edges.*.id': { en: 'Connection id', 'zh-CN': '连线编号' },
  'edges.*.from': { en: 'Starting step', 'zh-CN': '起点' },
  'edges.*.to': { en: 'Next step', 'zh-CN': '终点' },
  'edges.*.port': { en: 'Exit', 'zh-CN': '出口' },
};
