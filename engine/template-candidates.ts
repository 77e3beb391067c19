/**
 * What of a brand's flow can become a template parameter, for the "save as template" form:
 * the brand resources (which `makeTemplate` turns into parameters anyway — the marketer only
 * names them) and the values a marketer may choose to open up: the texts of push messages,
 * wait durations and numbers. Each candidate carries the path an export choice names
 * (`exportTemplate`'s `ParamChoice.path`), so the form submits `path=name` pairs.
 */
import type { LocalizedText } from './issues';
import { durationText, fieldEntry, fieldPathLabel, stepNameWithKind } from './labels';
import { FlowDraft, type ParameterKind } from './schema/document';
import { Duration } from './schema/duration';
import { findParams, makeTemplate } from './templates';

export interface TemplateCandidate {
  /** `<step id>.<config path>` (`coupon.pool`, `wait.timeout`) or `settings.…`. */
  path: string;
  kind: ParameterKind;
  /** A brand resource: a parameter whether chosen or not (only its name can change). */
  resource: boolean;
  /** The suggested parameter name. */
  name: string;
  /** The value in the flow (a duration in words). */
  value: LocalizedText;
  /** 「label」（推送消息）, or 流程设置. */
  step: LocalizedText;
  /** The field's label along its path: 最多等待, 消息 › 消息内容. */
  field: LocalizedText;
}

const SETTINGS: LocalizedText = { en: 'Flow settings', 'zh-CN': '流程设置' };
/** Fields whose values are not free values (condition trees, times of day, weekdays). */
const FIXED_TYPES = new Set(['rules', 'time', 'weekdays']);
/** The texts of a push message a marketer writes (not links, ids or media). */
const TEXT_KEYS = new Set(['text', 'title', 'description']);

const both = (s: string): LocalizedText => ({ en: s, 'zh-CN': s });

/**
 * The candidates of a flow, in step order: its brand resources first (one per distinct
 * resource, named as `makeTemplate` names them), then per step its push texts, durations and
 * numbers not already a `{{params.x}}`. The flow settings offer none: a template's checks
 * (validateTemplate) read a duration there as written, so `{{params.x}}` would fail. Empty for a
 * document that does not parse.
 */
export function templateCandidates(doc: unknown): TemplateCandidate[] {
  const parsed = FlowDraft.safeParse(doc);
  if (!parsed.success) return [];
  const flow = parsed.data;
  const declared = new Set((flow.parameters ?? []).map((p) => p.name));
  const template = makeTemplate(flow);
  const out: TemplateCandidate[] = [];
  const where = (path: (string | number)[]) => {
    if (path[0] === 'settings')
      return {
        dotted: path.map(String).join('.'),
        step: SETTINGS,
        field: fieldPathLabel('document', path) ?? both(path.slice(1).join('.')),
      };
    const node = flow.nodes[Number(path[1])]!;
    const rel = path.slice(3);
    return {
      dotted: [node.id, ...rel].map(String).join('.'),
      step: stepNameWithKind(node),
      field: fieldPathLabel(node.kind, rel) ?? both(rel.join('.')),
    };
  };

  // Brand resources: the first place each new parameter is used.
  const seen = new Set<string>();
  for (const use of findParams(template)) {
    if (declared.has(use.name) || seen.has(use.name)) continue;
    const p = template.parameters?.find((q) => q.name === use.name);
    if (!p) continue;
    seen.add(use.name);
    const at = where(use.path);
    out.push({
      path: at.dotted,
      kind: p.kind,
      resource: true,
      name: p.name,
      value: both(p.default ?? ''),
      step: at.step,
      field: at.field,
    });
  }

  // Values the marketer may open up.
  const resourcePaths = new Set(
    findParams(template)
      .filter((u) => !declared.has(u.name))
      .map((u) => u.path.join('.')),
  );
  const counters = new Map<ParameterKind, number>();
  const taken = new Set([...declared, ...seen]);
  const nameFor = (kind: ParameterKind) => {
    let name: string;
    do {
      const n = (counters.get(kind) ?? 0) + 1;
      counters.set(kind, n);
      name = `${kind}${n}`;
    } while (taken.has(name));
    taken.add(name);
    return name;
  };
  const consider = (
    scope: string,
    base: (string | number)[],
    rel: (string | number)[],
    value: unknown,
    push: boolean,
  ) => {
    const full = [...base, ...rel];
    if (resourcePaths.has(full.join('.'))) return;
    if (Array.isArray(value) || (typeof value === 'object' && value !== null)) {
      const entries = Array.isArray(value)
        ? value.map((v, i) => [i, v] as const)
        : Object.entries(value);
      for (const [k, v] of entries) {
        const next = [...rel, k];
        const type = fieldEntry(scope, next)?.type;
        if (type && FIXED_TYPES.has(type)) continue;
        consider(scope, base, next, v, push);
      }
      return;
    }
    const entry = fieldEntry(scope, rel);
    if (entry?.options) return;
    let kind: ParameterKind | null = null;
    let shown: LocalizedText | null = null;
    if (typeof value === 'number' && full[0] !== 'settings') {
      kind = 'number';
      shown = both(String(value));
    } else if (typeof value === 'string' && !value.includes('{{params.')) {
      if (entry?.type === 'duration' && Duration.safeParse(value).success) {
        kind = 'duration';
        shown = durationText(value);
      } else if (push && value.trim() !== '') {
        const last = rel[rel.length - 1];
        const inData = rel.includes('data') && last !== 'color';
        if ((typeof last === 'string' && TEXT_KEYS.has(last)) || inData) {
          kind = 'text';
          shown = both(value);
        }
      }
    }
    if (!kind || !shown) return;
    const at = where(full);
    out.push({
      path: at.dotted,
      kind,
      resource: false,
      name: nameFor(kind),
      value: shown,
      step: at.step,
      field: at.field,
    });
  };
  flow.nodes.forEach((node, i) => {
    if (node.config === undefined) return;
    consider(node.kind, ['nodes', i, 'config'], [], node.config, node.kind === 'action.push');
  });
  return out;
}
