/**
 * Templates: flows whose brand resources are `{{params.x}}` placeholders with typed
 * parameters. `makeTemplate` turns a brand's flow into one; `bindTemplate` fills it in for
 * another brand and validates the result against that brand.
 */
import { issue, hasErrors, type Issue } from './issues';
import { matcherResources, type ResourceKind, type ResourceRef } from './nodes/index';
import { FlowDraft, type Parameter, type ParameterKind } from './schema/document';
import { numberParams, PARAM_RE, parameterValues, substituteParams } from './params';
import { Duration } from './schema/duration';
import { ScenePattern } from './schema/event-matcher';
import { stepNameWithKind } from './labels';
import type { LocalizedText } from './issues';
import { analyse, validate, type ValidateOptions } from './validate/index';
import { walkStrings } from './validate/placeholders';
import type { BrandContext } from './validate/resources';

export { substituteParams };

export interface ParamUse {
  name: string;
  /** JSON path of the string inside the document. */
  path: (string | number)[];
}

/** Every `{{params.x}}` in the document's node configs and settings. */
export function findParams(doc: unknown): ParamUse[] {
  const uses: ParamUse[] = [];
  if (!isRecord(doc)) return uses;
  const visit = (s: string, path: (string | number)[]) => {
    for (const m of s.matchAll(PARAM_RE)) uses.push({ name: m[1]!, path });
  };
  if (Array.isArray(doc.nodes)) {
    doc.nodes.forEach((n, i) => {
      if (isRecord(n)) walkStrings(n.config, visit, ['nodes', i, 'config']);
    });
  }
  walkStrings(doc.settings, visit, ['settings']);
  return uses;
}

/**
 * Substitutes declared parameters that have a value (explicit, else the default) into node
 * configs and settings. Used by `compile`; the declarations stay in the document.
 */
export function bindValues(
  doc: unknown,
  explicit: Record<string, string>,
): { doc: unknown; values: Record<string, string> } {
  const values = parameterValues(doc, explicit);
  if (!isRecord(doc) || Object.keys(values).length === 0) return { doc, values };
  const numbers = numberParams(doc);
  const nodes = Array.isArray(doc.nodes)
    ? doc.nodes.map((n) =>
        isRecord(n) && 'config' in n
          ? { ...n, config: substituteParams(n.config, values, numbers) }
          : n,
      )
    : doc.nodes;
  const bound: Record<string, unknown> = { ...doc, nodes };
  if ('settings' in doc) bound.settings = substituteParams(doc.settings, values, numbers);
  return { doc: bound, values };
}

export type BindResult =
  { ok: true; doc: FlowDraft; issues: Issue[] } | { ok: false; issues: Issue[] };

/**
 * Binds a template for one brand: every parameter gets a value (given, else its default),
 * the bound parameters disappear from the document, and the result is validated — with the
 * brand's resources when a context is given.
 */
export function bindTemplate(
  template: unknown,
  values: Record<string, string>,
  brand?: BrandContext,
): BindResult {
  const parsed = FlowDraft.safeParse(template);
  if (!parsed.success) return { ok: false, issues: validate(template) };
  const declared = parsed.data.parameters ?? [];
  const issues: Issue[] = [];
  const resolved: Record<string, string> = {};
  declared.forEach((p, i) => {
    const v = Object.hasOwn(values, p.name) ? values[p.name] : p.default;
    if (typeof v === 'string' && v.length > 0) resolved[p.name] = v;
    else {
      issues.push(
        issue(
          'E_UNBOUND_PARAM',
          {
            en: `The template parameter "${p.label ?? p.name}" needs a value.`,
            'zh-CN': `模板参数“${p.label ?? p.name}”需要填写取值。`,
          },
          { path: ['parameters', i] },
        ),
      );
    }
  });
  for (const name of Object.keys(values)) {
    if (declared.some((p) => p.name === name)) continue;
    issues.push(
      issue('E_UNBOUND_PARAM', {
        en: `The template has no parameter "${name}" to bind.`,
        'zh-CN': `模板中没有名为“${name}”的参数可供绑定。`,
      }),
    );
  }
  const remaining = declared.filter((p) => !Object.hasOwn(resolved, p.name));
  const numbers = numberParams(parsed.data);
  const doc: FlowDraft = {
    ...parsed.data,
    parameters: remaining,
    settings: substituteParams(parsed.data.settings, resolved, numbers),
    nodes: parsed.data.nodes.map((n) =>
      n.config === undefined ? n : { ...n, config: substituteParams(n.config, resolved, numbers) },
    ),
  };
  if (remaining.length === 0) delete doc.parameters;
  if (parsed.data.settings === undefined) delete doc.settings;
  issues.push(...validate(doc, brand));
  return hasErrors(issues) ? { ok: false, issues } : { ok: true, doc, issues };
}

const PARAM_PREFIX: Record<ResourceKind, ParameterKind> = {
  tag: 'tag',
  couponPool: 'couponPool',
  menu: 'menu',
  qrScene: 'qrScene',
  template: 'template',
};

/**
 * Replaces the brand resources a flow names (tags, coupon pools, menus, QR scenes, message
 * templates) with parameters, one per distinct resource, defaulting to the original value.
 * Nodes whose config is invalid are left as they are.
 */
export function makeTemplate(doc: FlowDraft, options: { keepDefaults?: boolean } = {}): FlowDraft {
  const { model } = analyse(doc);
  const out = JSON.parse(JSON.stringify(doc)) as FlowDraft;
  if (!model) return out;
  const params = new Map<string, Parameter>();
  const counters = new Map<ResourceKind, number>();
  const taken = new Set((doc.parameters ?? []).map((p) => p.name));
  const paramFor = (ref: ResourceRef): string => {
    const key = `${ref.kind}\u0000${ref.value}`;
    const existing = params.get(key);
    if (existing) return existing.name;
    let name: string;
    do {
      const n = (counters.get(ref.kind) ?? 0) + 1;
      counters.set(ref.kind, n);
      name = `${PARAM_PREFIX[ref.kind]}${n}`;
    } while (taken.has(name));
    taken.add(name);
    const p: Parameter = { name, kind: PARAM_PREFIX[ref.kind], label: ref.value };
    if (options.keepDefaults !== false) p.default = ref.value;
    params.set(key, p);
    return name;
  };
  const replace = (target: unknown, ref: ResourceRef) => {
    if (ref.value.includes('{{')) return;
    setAt(target, ref.path, `{{params.${paramFor(ref)}}}`);
  };
  for (const info of model.order) {
    if (!info.spec?.resources || info.config === undefined) continue;
    for (const ref of info.spec.resources(info.config)) replace(out.nodes[info.index]!.config, ref);
  }
  const settings = out.settings;
  settings?.exitOn?.forEach((m, i) =>
    matcherResources(m, []).forEach((ref) => replace(settings.exitOn![i], ref)),
  );
  if (settings?.goal)
    matcherResources(settings.goal.event, []).forEach((ref) => replace(settings.goal!.event, ref));
  if (params.size) out.parameters = [...(out.parameters ?? []), ...params.values()];
  return out;
}

function setAt(target: unknown, path: (string | number)[], value: string): void {
  let cur = target;
  for (const key of path.slice(0, -1)) {
    if (!isRecord(cur) && !Array.isArray(cur)) return;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  const last = path[path.length - 1];
  if (last !== undefined && (isRecord(cur) || Array.isArray(cur)))
    (cur as Record<string | number, unknown>)[last] = value;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// --- templates shared between brands ------------------------------------------------------

/** A value that stands in for a parameter without a default, when a template is checked alone. */
const SAMPLE: Record<ParameterKind, string> = {
  couponPool: 'sample-pool',
  menu: 'sample-menu',
  tag: 'sample-tag',
  qrScene: 'sample-scene',
  text: 'sample',
  template: 'sample-template',
  duration: '1h',
  number: '1',
};

const KIND_TEXT: Record<ResourceKind, LocalizedText> = {
  tag: { en: 'tag', 'zh-CN': '标签' },
  couponPool: { en: 'coupon pool', 'zh-CN': '券池' },
  menu: { en: 'menu', 'zh-CN': '菜单' },
  qrScene: { en: 'QR scene', 'zh-CN': '二维码场景' },
  template: { en: 'message template', 'zh-CN': '消息模板' },
};

export interface DirectResource {
  kind: ResourceKind;
  value: string;
  nodeId?: string;
  /** JSON path in the document. */
  path: (string | number)[];
}

/**
 * The brand resources a document names directly (not through `{{params.x}}`, not derived at
 * run time like `src_{{event.scene}}`): what a template must turn into parameters.
 */
export function directResources(doc: unknown): DirectResource[] {
  const typed = withTypedSamples(doc);
  const { model } = analyse(typed);
  if (!model) return [];
  const out: DirectResource[] = [];
  const raw = doc as { nodes: { config?: unknown }[]; settings?: unknown };
  for (const info of model.order) {
    if (!info.spec?.resources || info.config === undefined) continue;
    for (const ref of info.spec.resources(info.config)) {
      const original = getAt(raw.nodes[info.index]?.config, ref.path);
      if (typeof original === 'string' && original.includes('{{')) continue;
      out.push({
        kind: ref.kind,
        value: ref.value,
        nodeId: info.node.id,
        path: ['nodes', info.index, 'config', ...ref.path],
      });
    }
  }
  const settings = model.doc.settings;
  const rawSettings = isRecord(raw.settings) ? raw.settings : {};
  const fromMatcher = (matcher: unknown, base: (string | number)[]) => {
    for (const ref of matcherResources(matcher as never, [])) {
      const original = getAt(getAt(rawSettings, base), ref.path);
      if (typeof original === 'string' && original.includes('{{')) continue;
      out.push({ kind: ref.kind, value: ref.value, path: ['settings', ...base, ...ref.path] });
    }
  };
  settings?.exitOn?.forEach((m, i) => fromMatcher(m, ['exitOn', i]));
  if (settings?.goal) fromMatcher(settings.goal.event, ['goal', 'event']);
  return out;
}

/**
 * Parameters of kind duration and number bound to their default (else a sample), so the
 * fields they fill are checked as a duration or a number; the others stay placeholders.
 */
function withTypedSamples(doc: unknown): unknown {
  const parsed = FlowDraft.safeParse(doc);
  if (!parsed.success) return doc;
  const values: Record<string, string> = {};
  for (const p of parsed.data.parameters ?? []) {
    if (p.kind !== 'duration' && p.kind !== 'number') continue;
    values[p.name] = defaultProblem(p) === null && p.default ? p.default : SAMPLE[p.kind];
  }
  if (Object.keys(values).length === 0) return doc;
  const numbers = numberParams(parsed.data);
  return {
    ...(doc as Record<string, unknown>),
    nodes: parsed.data.nodes.map((n) =>
      n.config === undefined ? n : { ...n, config: substituteParams(n.config, values, numbers) },
    ),
    ...(parsed.data.settings
      ? { settings: substituteParams(parsed.data.settings, values, numbers) }
      : {}),
  };
}

/** Why a parameter's default does not fit its kind (null: it fits, or there is none). */
function defaultProblem(p: Parameter): LocalizedText | null {
  const v = p.default;
  if (v === undefined || v === null || v === '') return null;
  switch (p.kind) {
    case 'duration':
      return Duration.safeParse(v).success
        ? null
        : { en: 'a duration such as 30m, 2h, 3d or 1w', 'zh-CN': '时长，例如 30m、2h、3d 或 1w' };
    case 'number':
      return v.trim() !== '' && Number.isFinite(Number(v))
        ? null
        : { en: 'a number such as 3 or 99.5', 'zh-CN': '数字，例如 3 或 99.5' };
    case 'qrScene':
      return ScenePattern.safeParse(v).success
        ? null
        : {
            en: 'a QR scene (an exact value, or a prefix ending in *)',
            'zh-CN': '二维码场景值（精确值，或以 * 结尾的前缀）',
          };
    default:
      return null;
  }
}

/**
 * A template's checks: the flow's own (with duration and number parameters bound to their
 * defaults, else samples), then what makes it shareable between brands — every brand resource
 * is a parameter (E_TEMPLATE_RESOURCE; its default may keep the original value), each default
 * fits its kind (E_PARAM_DEFAULT), each parameter is used (W_UNUSED_PARAM). Undeclared
 * `{{params.x}}` are E_UNBOUND_PARAM, as for any flow.
 */
export function validateTemplate(
  doc: unknown,
  brand?: BrandContext,
  options?: ValidateOptions,
): Issue[] {
  const parsed = FlowDraft.safeParse(doc);
  if (!parsed.success) return validate(doc, brand, options);
  const issues = validate(withTypedSamples(doc), brand, options);
  const declared = parsed.data.parameters ?? [];
  const used = new Set(findParams(doc).map((u) => u.name));
  declared.forEach((p, i) => {
    const label = p.labels?.en || p.label || p.name;
    const labelZh = p.labels?.['zh-CN'] || p.label || p.name;
    const problem = defaultProblem(p);
    if (problem) {
      issues.push(
        issue(
          'E_PARAM_DEFAULT',
          {
            en: `The default of the template parameter "${label}" should be ${problem.en}.`,
            'zh-CN': `模板参数“${labelZh}”的默认值应为${problem['zh-CN']}。`,
          },
          { path: ['parameters', i, 'default'] },
        ),
      );
    }
    if (!used.has(p.name)) {
      issues.push(
        issue(
          'W_UNUSED_PARAM',
          {
            en: `The template parameter "${label}" is used by no step; use it or remove it.`,
            'zh-CN': `模板参数“${labelZh}”没有被任何步骤使用；请使用或删除该参数。`,
          },
          { path: ['parameters', i] },
        ),
      );
    }
  });
  for (const r of directResources(doc)) {
    const node = r.nodeId !== undefined ? parsed.data.nodes.find((n) => n.id === r.nodeId) : null;
    const where = node ? stepNameWithKind(node) : { en: 'The flow settings', 'zh-CN': '流程设置' };
    const kind = KIND_TEXT[r.kind];
    issues.push(
      issue(
        'E_TEMPLATE_RESOURCE',
        {
          en: `${where.en} names the ${kind.en} "${r.value}" directly; in a template a brand's ${kind.en} must be a parameter (its default may keep "${r.value}").`,
          'zh-CN': `${where['zh-CN']}直接使用了${kind['zh-CN']}“${r.value}”；模板中品牌的${kind['zh-CN']}必须设为参数（默认值可保留“${r.value}”）。`,
        },
        { path: r.path, ...(r.nodeId !== undefined ? { nodeId: r.nodeId } : {}) },
      ),
    );
  }
  return issues;
}

function getAt(target: unknown, path: readonly (string | number)[]): unknown {
  let cur = target;
  for (const key of path) {
    if (!isRecord(cur) && !Array.isArray(cur)) return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

/** `--param <path>=<name>` of an export: a value of the flow that becomes the parameter `name`. */
export interface ParamChoice {
  /** A step id then the config path (`coupon.pool`, `scan.scenes.0`), or `settings.…`. */
  path: string;
  name: string;
}

export type ExportResult =
  | { ok: true; doc: FlowDraft; issues: Issue[] }
  | { ok: false; issues: Issue[]; unknownPaths: string[] };

/**
 * A brand's flow as a template: every brand resource becomes a parameter defaulting to its
 * value (makeTemplate); each choice names the parameter at its path, or turns that value (a
 * text, a duration, a number) into a new parameter. Checked with `validateTemplate`.
 */
export function exportTemplate(doc: unknown, choices: readonly ParamChoice[] = []): ExportResult {
  const parsed = FlowDraft.safeParse(doc);
  if (!parsed.success) return { ok: false, issues: validate(doc), unknownPaths: [] };
  const out = makeTemplate(parsed.data);
  const unknownPaths: string[] = [];
  for (const choice of choices) {
    const path = docPath(out, choice.path);
    const value = path ? getAt(out, path) : undefined;
    if (!path || (typeof value !== 'string' && typeof value !== 'number')) {
      unknownPaths.push(choice.path);
      continue;
    }
    const params = out.parameters ?? [];
    const whole =
      typeof value === 'string'
        ? /^\{\{\s*params\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/.exec(value)
        : null;
    const existing = whole ? params.find((p) => p.name === whole[1]) : undefined;
    if (existing) {
      if (existing.name === choice.name) continue;
      const from = existing.name;
      existing.name = choice.name;
      if (existing.label === existing.default) existing.label = choice.name;
      const renamed = substituteParams(
        { nodes: out.nodes, settings: out.settings },
        { [from]: `{{params.${choice.name}}}` },
      );
      out.nodes = renamed.nodes;
      if (out.settings) out.settings = renamed.settings;
      continue;
    }
    const text = String(value);
    const kind: ParameterKind =
      typeof value === 'number' ? 'number' : Duration.safeParse(text).success ? 'duration' : 'text';
    params.push({ name: choice.name, kind, label: choice.name, default: text });
    out.parameters = params;
    setAt(out, path, `{{params.${choice.name}}}`);
  }
  const issues = validateTemplate(out);
  if (unknownPaths.length || hasErrors(issues)) return { ok: false, issues, unknownPaths };
  return { ok: true, doc: out, issues };
}

/** `coupon.pool` → ['nodes', 2, 'config', 'pool']; `settings.goal.within` as it says. */
function docPath(doc: FlowDraft, dotted: string): (string | number)[] | null {
  const parts = dotted
    .split(/[./]/)
    .filter((p) => p.length > 0)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  const [head, ...rest] = parts;
  if (head === undefined) return null;
  if (head === 'settings') return parts;
  const index = doc.nodes.findIndex((n) => n.id === head);
  if (index < 0) return null;
  if (rest[0] === 'config') rest.shift();
  if (rest[0] === 'label' && rest.length === 1) return ['nodes', index, 'label'];
  return ['nodes', index, 'config', ...rest];
}
