/**
 * `{{…}}` placeholders in string configs: `{{params.x}}` must name a declared parameter,
 * the run-time variables must exist (`follower.*` fields, `coupon.code|expiresAt`,
 * `event.*`), and `{{coupon.*}}` needs a coupon issued earlier on the way.
 */
import Mustache from 'mustache';
import { issue, type Issue } from '../issues';
import { fieldPathLabel, stepName } from '../labels';
import { followerPathType } from '../schema/rules';
import { reachableFrom } from './graph';
import { configIssue, type GraphModel } from './model';

export interface Placeholder {
  name: string;
  /** JSON path of the string, relative to where the walk started. */
  path: (string | number)[];
}

export type PlaceholderProblem =
  | { kind: 'syntax'; path: (string | number)[] }
  | ({ kind: 'unknown' | 'param' | 'coupon' } & Placeholder);

/** Calls `visit` for every string inside a JSON value, with its path. */
export function walkStrings(
  value: unknown,
  visit: (s: string, path: (string | number)[]) => void,
  path: (string | number)[] = [],
): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => walkStrings(v, visit, [...path, i]));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) walkStrings(v, visit, [...path, k]);
  }
}

/** The variable names a mustache template uses (sections included); throws on broken syntax. */
export function templateVariables(template: string): string[] {
  const names: string[] = [];
  const visit = (tokens: unknown[][]) => {
    for (const t of tokens) {
      if (t[0] === 'name' || t[0] === '&' || t[0] === '#' || t[0] === '^') names.push(String(t[1]));
      if (Array.isArray(t[4])) visit(t[4] as unknown[][]);
    }
  };
  visit(Mustache.parse(template) as unknown[][]);
  return names;
}

export function findPlaceholders(value: unknown): {
  placeholders: Placeholder[];
  broken: (string | number)[][];
} {
  const placeholders: Placeholder[] = [];
  const broken: (string | number)[][] = [];
  walkStrings(value, (s, path) => {
    if (!s.includes('{{')) return;
    try {
      for (const name of templateVariables(s)) placeholders.push({ name, path });
    } catch {
      broken.push(path);
    }
  });
  return { placeholders, broken };
}

const COUPON_FIELDS = new Set(['code', 'expiresAt']);

export function classify(
  name: string,
  params: ReadonlySet<string>,
): 'ok' | 'unknown' | 'param' | 'coupon' {
  const [root, ...rest] = name.split('.');
  const tail = rest.join('.');
  switch (root) {
    case 'params':
      return rest.length >= 1 && params.has(rest[0]!) ? 'ok' : 'param';
    case 'follower':
      return followerPathType(`$.${tail}`) !== null ? 'ok' : 'unknown';
    case 'coupon':
      return rest.length === 1 && COUPON_FIELDS.has(tail) ? 'coupon' : 'unknown';
    case 'event':
      return rest.length >= 1 && rest.every((p) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(p))
        ? 'ok'
        : 'unknown';
    default:
      return 'unknown';
  }
}

/** Raw config → its placeholders (engine/validate/incremental.ts keeps one). */
export interface PlaceholderCache {
  placeholders: WeakMap<object, { placeholders: Placeholder[]; broken: (string | number)[][] }>;
}

export function checkPlaceholders(
  model: GraphModel,
  issues: Issue[],
  cache?: PlaceholderCache,
): void {
  const params = new Set((model.doc.parameters ?? []).map((p) => p.name));
  const afterCoupon = reachableFrom(
    model,
    model.order
      .filter((n) => n.kind === 'action.coupon')
      .flatMap((n) => [...(model.out.get(n.node.id)?.values() ?? [])]),
  );

  for (const info of model.order) {
    if (!info.spec || info.node.config === undefined) continue;
    const config = info.node.config;
    let found =
      cache && typeof config === 'object' && config ? cache.placeholders.get(config) : undefined;
    if (!found) {
      found = findPlaceholders(config);
      if (cache && typeof config === 'object' && config) cache.placeholders.set(config, found);
    }
    const { placeholders, broken } = found;
    for (const path of broken) {
      issues.push(
        configIssue(info, path, {
          en: 'has a broken {{…}} placeholder',
          'zh-CN': '包含格式错误的 {{…}} 占位符',
        }),
      );
    }
    for (const p of placeholders) {
      const verdict = classify(p.name, params);
      if (verdict === 'ok') continue;
      if (verdict === 'coupon') {
        if (afterCoupon.has(info.node.id)) continue;
        issues.push(
          configIssue(info, p.path, {
            en: `uses {{${p.name}}} but no coupon is issued before this step`,
            'zh-CN': `使用了 {{${p.name}}}，但此前没有发券步骤`,
          }),
        );
      } else if (verdict === 'param') {
        issues.push(
          unboundParam(
            p.name,
            ['nodes', info.index, 'config', ...p.path],
            stepName(info.node),
            info.node.id,
          ),
        );
      } else {
        issues.push(
          configIssue(info, p.path, {
            en: `uses {{${p.name}}}, which is not a known variable ({{follower.…}}, {{coupon.code}}, {{coupon.expiresAt}}, {{event.…}}, {{params.…}})`,
            'zh-CN': `使用了未知变量 {{${p.name}}}（可用：{{follower.…}}、{{coupon.code}}、{{coupon.expiresAt}}、{{event.…}}、{{params.…}}）`,
          }),
        );
      }
    }
  }
  // Settings may be parameterised too (e.g. the scenes of an exit event).
  const { placeholders } = findPlaceholders(model.doc.settings ?? {});
  for (const p of placeholders) {
    if (classify(p.name, params) === 'param') {
      const path = ['settings', ...p.path];
      issues.push(unboundParam(p.name, path, fieldPathLabel('document', path), undefined));
    }
  }
}

/** `where`: the step using it, or the label of the flow setting (null: the settings). */
function unboundParam(
  name: string,
  path: (string | number)[],
  where: { en: string; 'zh-CN': string } | null,
  nodeId: string | undefined,
): Issue {
  const param = name.split('.')[1] ?? '';
  const subject =
    where && nodeId !== undefined
      ? { en: `${where.en} uses`, 'zh-CN': `${where['zh-CN']}使用了` }
      : where
        ? {
            en: `The flow setting "${where.en}" uses`,
            'zh-CN': `流程设置“${where['zh-CN']}”使用了`,
          }
        : { en: 'The flow settings use', 'zh-CN': '流程设置使用了' };
  return issue(
    'E_UNBOUND_PARAM',
    {
      en: `${subject.en.charAt(0).toUpperCase()}${subject.en.slice(1)} {{${name}}}, but the flow declares no parameter "${param}"; declare it or bind a value.`,
      'zh-CN': `${subject['zh-CN']} {{${name}}}，但流程没有声明参数“${param}”；请声明该参数或绑定取值。`,
    },
    { path, ...(nodeId !== undefined ? { nodeId } : {}) },
  );
}
