/**
 * Templates: flows whose brand resources are `{{params.x}}` placeholders with typed
 * parameters. `makeTemplate` turns a brand's flow into one; `bindTemplate` fills it in for
 * another brand and validates the result against that brand.
 */
import { issue, hasErrors, type Issue } from './issues';
import { matcherResources, type ResourceKind, type ResourceRef } from './nodes/index';
import { FlowDraft, type Parameter, type ParameterKind } from './schema/document';
import { PARAM_RE, parameterValues, substituteParams } from './params';
import { analyse, validate } from './validate/index';
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
  const nodes = Array.isArray(doc.nodes)
    ? doc.nodes.map((n) =>
        isRecord(n) && 'config' in n ? { ...n, config: substituteParams(n.config, values) } : n,
      )
    : doc.nodes;
  const bound: Record<string, unknown> = { ...doc, nodes };
  if ('settings' in doc) bound.settings = substituteParams(doc.settings, values);
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
  const doc: FlowDraft = {
    ...parsed.data,
    parameters: remaining,
    settings: substituteParams(parsed.data.settings, resolved),
    nodes: parsed.data.nodes.map((n) =>
      n.config === undefined ? n : { ...n, config: substituteParams(n.config, resolved) },
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
