/**
 * Naming things the way a marketer sees them: a field by its label in the panel, a port by its
 * label on the canvas, a step by its label or its kind's name — in messages, in the editor's
 * panels and in the publish dialog alike. The labels themselves live with the node specs
 * (`fields`) and in ./schema/labels; this resolves a JSON path against them.
 */
import type { LocalizedText } from './issues';
import { isNodeKind, portLabel, specOf, type NodeKind } from './nodes/index';
import { DOCUMENT_FIELDS, type FieldLabel, type FieldLabels } from './schema/labels';

export { portLabel, PORT_LABELS, NAMED_PORTS, isNamedPort, type NamedPort } from './nodes/index';
export type { FieldLabel, FieldLabels } from './schema/labels';

/** Whose fields: a node kind (paths relative to its config) or the document itself. */
export type LabelScope = NodeKind | 'document';
export type PathLike = readonly (string | number)[] | string;

function tableOf(scope: LabelScope | string): FieldLabels {
  if (scope === 'document') return DOCUMENT_FIELDS;
  return isNodeKind(scope) ? specOf(scope).fields : {};
}

function segments(path: PathLike): string[] {
  if (typeof path === 'string') return path.split(/[/.]/).filter((s) => s !== '');
  return path.map(String);
}

const patternCache = new Map<FieldLabels, { parts: string[]; label: FieldLabel }[]>();

/** A table's patterns, exact ones first (fewer wildcards win). */
function patternsOf(table: FieldLabels) {
  let out = patternCache.get(table);
  if (!out) {
    out = Object.entries(table)
      .map(([k, label]) => ({ parts: k.split('.'), label }))
      .sort(
        (a, b) =>
          a.parts.filter((p) => p.startsWith('*')).length -
          b.parts.filter((p) => p.startsWith('*')).length,
      );
    patternCache.set(table, out);
  }
  return out;
}

function matches(parts: readonly string[], path: readonly string[]): boolean {
  if (parts.length === 0) return path.length === 0;
  const [head, ...rest] = parts;
  if (head === '**') {
    for (let i = 0; i <= path.length; i++) if (matches(rest, path.slice(i))) return true;
    return false;
  }
  if (path.length === 0) return false;
  return (head === '*' || head === path[0]) && matches(rest, path.slice(1));
}

const isIndex = (s: string) => /^\d+$/.test(s);

function withPosition(label: LocalizedText, path: readonly string[]): LocalizedText {
  const index = [...path].reverse().find(isIndex);
  if (index === undefined || !label.en.includes('{n}')) return label;
  const n = String(Number(index) + 1);
  return { en: label.en.replace('{n}', n), 'zh-CN': label['zh-CN'].replace('{n}', n) };
}

/** The table entry of exactly this field (its label, options, value type), if it has one. */
export function fieldEntry(scope: LabelScope | string, path: PathLike): FieldLabel | undefined {
  const segs = segments(path);
  return patternsOf(tableOf(scope)).find((p) => matches(p.parts, segs))?.label;
}

/** The label the panel shows for this field (e.g. `duration` → 等待时长 / Wait for). */
export function fieldLabel(scope: LabelScope | string, path: PathLike): LocalizedText | undefined {
  const entry = fieldEntry(scope, path);
  return entry && withPosition({ en: entry.en, 'zh-CN': entry['zh-CN'] }, segments(path));
}

/**
 * Where a field is, for a sentence: the labels along its path, e.g.
 * `branches/1/percent` → "分支 2 › 百分比" / "Branch 2 › Percent"; an index without a label
 * of its own reads "第 3 项" / "item 3", a key the marketer named (template data, attributes)
 * reads as itself, and internal segments (`all`, `any`) are left out. Null when nothing
 * along the path has a label.
 */
export function fieldPathLabel(scope: LabelScope | string, path: PathLike): LocalizedText | null {
  const segs = segments(path);
  // Validation asks for the same few paths many times per run (one per issue): remembered,
  // as the tables never change. Bounded, since paths include indexes.
  const key = `${scope}\u0000${segs.join('\u0000')}`;
  const known = pathLabels.get(key);
  if (known !== undefined) return known;
  if (pathLabels.size >= 10_000) pathLabels.clear();
  const label = computePathLabel(scope, segs);
  pathLabels.set(key, label);
  return label;
}

const pathLabels = new Map<string, LocalizedText | null>();

function computePathLabel(scope: LabelScope | string, segs: string[]): LocalizedText | null {
  const crumbs: LocalizedText[] = [];
  let keyed = false;
  for (let i = 1; i <= segs.length; i++) {
    const prefix = segs.slice(0, i);
    const seg = prefix[i - 1]!;
    const entry = fieldEntry(scope, prefix);
    const label = fieldLabel(scope, prefix);
    if (label && entry?.group && i < segs.length) {
      // A group is named only for a problem with the group itself.
    } else if (label) crumbs.push(label);
    else if (keyed) crumbs.push({ en: seg, 'zh-CN': seg });
    else if (isIndex(seg)) {
      const n = Number(seg) + 1;
      crumbs.push({ en: `item ${n}`, 'zh-CN': `第 ${n} 项` });
    }
    keyed = entry?.type === 'keyed';
  }
  const distinct = crumbs.filter(
    (c, i) => i === 0 || c.en !== crumbs[i - 1]!.en || c['zh-CN'] !== crumbs[i - 1]!['zh-CN'],
  );
  if (distinct.length === 0) return null;
  return {
    en: distinct.map((c) => c.en).join(' › '),
    'zh-CN': distinct.map((c) => c['zh-CN']).join(' › '),
  };
}

/** The label of one choice of a field with fixed options (e.g. `match: regex` → 正则表达式). */
export function optionLabel(
  scope: LabelScope | string,
  path: PathLike,
  value: string,
): LocalizedText | undefined {
  return fieldEntry(scope, path)?.options?.[value];
}

/** A step kind's name (its palette title), or null for a kind this version does not know. */
export function kindTitle(kind: string): LocalizedText | null {
  return isNodeKind(kind) ? specOf(kind).title : null;
}

/**
 * How a step is named in a sentence: 「label」 / "label", else its kind's name. Never its id:
 * a marketer never sees ids.
 */
export function stepName(node: { kind: string; label?: string | undefined }): LocalizedText {
  const label = node.label?.trim();
  if (label) return { 'zh-CN': `「${label}」`, en: `"${label}"` };
  const title = kindTitle(node.kind);
  if (title) return { 'zh-CN': `「${title['zh-CN']}」`, en: `"${title.en}"` };
  return { 'zh-CN': '一个未知类型的步骤', en: 'a step of an unknown kind' };
}

/** A step's name with its kind when it has a label of its own: 「欢迎」（推送消息）. */
export function stepNameWithKind(node: {
  kind: string;
  label?: string | undefined;
}): LocalizedText {
  const name = stepName(node);
  const title = kindTitle(node.kind);
  if (!node.label?.trim() || !title) return name;
  return { 'zh-CN': `${name['zh-CN']}（${title['zh-CN']}）`, en: `${name.en} (${title.en})` };
}

/** A port in a sentence: “是” / "Yes" (a split's branch by its name). */
export function portName(port: string): LocalizedText {
  const label = portLabel(port);
  return { 'zh-CN': `“${label['zh-CN']}”`, en: `"${label.en}"` };
}

// --- values, as a marketer reads them (publish diffs) --------------------------------------

const UNIT_TEXT: Record<string, { en: (n: number) => string; 'zh-CN': string }> = {
  m: { en: (n) => `${n} minute${n === 1 ? '' : 's'}`, 'zh-CN': '分钟' },
  h: { en: (n) => `${n} hour${n === 1 ? '' : 's'}`, 'zh-CN': '小时' },
  d: { en: (n) => `${n} day${n === 1 ? '' : 's'}`, 'zh-CN': '天' },
  w: { en: (n) => `${n} week${n === 1 ? '' : 's'}`, 'zh-CN': '周' },
};

/** `48h` → "48 小时" / "48 hours"; anything else as written. */
export function durationText(duration: string): LocalizedText {
  const m = /^([0-9]+)([mhdw])$/.exec(duration);
  if (!m) return { en: duration, 'zh-CN': duration };
  const n = Number(m[1]);
  const unit = UNIT_TEXT[m[2]!]!;
  return { en: unit.en(n), 'zh-CN': `${n} ${unit['zh-CN']}` };
}

const WEEKDAYS: Record<number, LocalizedText> = {
  1: { en: 'Mon', 'zh-CN': '周一' },
  2: { en: 'Tue', 'zh-CN': '周二' },
  3: { en: 'Wed', 'zh-CN': '周三' },
  4: { en: 'Thu', 'zh-CN': '周四' },
  5: { en: 'Fri', 'zh-CN': '周五' },
  6: { en: 'Sat', 'zh-CN': '周六' },
  7: { en: 'Sun', 'zh-CN': '周日' },
};

const NOT_SET: LocalizedText = { en: '(not set)', 'zh-CN': '（未设置）' };

function both(s: string): LocalizedText {
  return { en: s, 'zh-CN': s };
}

/** One value of a field, in words: options by label, durations in units, lists joined. */
export function valueText(
  scope: LabelScope | string,
  path: PathLike,
  value: unknown,
): LocalizedText {
  if (value === undefined || value === null || value === '') return NOT_SET;
  const entry = fieldEntry(scope, path);
  if (typeof value === 'string') {
    const option = entry?.options?.[value];
    if (option) return option;
    if (entry?.type === 'duration') return durationText(value);
    return both(value);
  }
  if (typeof value === 'boolean')
    return value ? { en: 'yes', 'zh-CN': '是' } : { en: 'no', 'zh-CN': '否' };
  if (typeof value === 'number') return both(String(value));
  if (Array.isArray(value)) {
    if (value.length === 0) return NOT_SET;
    const parts = value.map((v) =>
      entry?.type === 'weekdays' && typeof v === 'number' && WEEKDAYS[v]
        ? WEEKDAYS[v]!
        : valueText(scope, [...segments(path), '0'], v),
    );
    return {
      en: parts.map((p) => p.en).join(', '),
      'zh-CN': parts.map((p) => p['zh-CN']).join('、'),
    };
  }
  return both(JSON.stringify(value));
}

export interface FieldChange {
  /** JSON path relative to the scope. */
  path: string[];
  label: LocalizedText;
  before: LocalizedText;
  after: LocalizedText;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const objectish = (v: unknown) => v === undefined || isPlainObject(v);
/** A list compared item by item: of objects (branches, articles), or empty. */
const listish = (v: unknown) =>
  v === undefined ||
  (Array.isArray(v) && (v.length === 0 || v.some((x) => typeof x === 'object' && x !== null)));

/**
 * What changed between two configs (or two documents' settings), field by field in the
 * marketer's words: "最多等待: 48 小时 → 1 分钟". Objects are compared key by key, lists of
 * objects item by item; a condition tree changed anywhere reads as one change of the field.
 */
export function fieldChanges(
  scope: LabelScope | string,
  before: unknown,
  after: unknown,
  base: readonly string[] = [],
): FieldChange[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const entry = base.length ? fieldEntry(scope, base) : undefined;
  const nested =
    entry?.type !== 'rules' &&
    ((objectish(before) && objectish(after)) || (listish(before) && listish(after)));
  if (nested) {
    const a = (before ?? {}) as Record<string, unknown>;
    const b = (after ?? {}) as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => fieldChanges(scope, a[k], b[k], [...base, k]));
  }
  const label = fieldPathLabel(scope, base) ?? { en: 'Settings', 'zh-CN': '设置' };
  if (entry?.type === 'rules') {
    return [
      {
        path: [...base],
        label,
        before: before === undefined ? NOT_SET : { en: 'as before', 'zh-CN': '原条件' },
        after: after === undefined ? NOT_SET : { en: 'changed', 'zh-CN': '已修改' },
      },
    ];
  }
  return [
    {
      path: [...base],
      label,
      before: valueText(scope, base, before),
      after: valueText(scope, base, after),
    },
  ];
}
