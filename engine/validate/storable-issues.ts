/**
 * Issues for text the database cannot store (../schema/storable), said where a marketer finds
 * it: inside a step's settings it is that step's E_CONFIG; elsewhere an E_FORMAT naming the
 * flow's name, a step's label, a template parameter or the flow settings — never a JSON path.
 */
import { issue, type Issue, type LocalizedText } from '../issues';
import { stepName } from '../labels';
import { isNodeKind, specOf } from '../nodes/index';
import type { DraftNode } from '../schema/document';
import { textProblem } from '../schema/storable';
import { configIssue, type NodeInfo } from './model';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const storableText = (v: unknown): string | undefined =>
  typeof v === 'string' && textProblem(v) === null ? v : undefined;

/** The step at `index` as issues name it; text that is itself unstorable is left out. */
function stepInfo(doc: unknown, index: number): NodeInfo {
  const nodes = isRecord(doc) && Array.isArray(doc.nodes) ? doc.nodes : [];
  const raw: Record<string, unknown> = isRecord(nodes[index]) ? nodes[index] : {};
  const kind = storableText(raw.kind) ?? '';
  const node: DraftNode = { id: storableText(raw.id) ?? '', kind };
  const label = storableText(raw.label) ?? (isNodeKind(kind) ? specOf(kind).title.en : undefined);
  if (label !== undefined) node.label = label;
  const spec = isNodeKind(kind) ? specOf(kind) : null;
  return { index, node, kind: spec ? spec.kind : null, spec, config: undefined, ports: null };
}

function place(doc: unknown, path: readonly (string | number)[]): LocalizedText {
  const [head, index, field] = path;
  if (head === 'name') return { en: "The flow's name", 'zh-CN': '流程名称' };
  if (head === 'description') return { en: "The flow's description", 'zh-CN': '流程说明' };
  if (head === 'settings') return { en: 'The flow settings', 'zh-CN': '流程设置' };
  if (head === 'parameters' && typeof index === 'number') {
    const params = isRecord(doc) && Array.isArray(doc.parameters) ? doc.parameters : [];
    const p: Record<string, unknown> = isRecord(params[index]) ? params[index] : {};
    const name = storableText(p.label) ?? storableText(p.name);
    return name
      ? { en: `The template parameter "${name}"`, 'zh-CN': `模板参数“${name}”` }
      : { en: 'A template parameter', 'zh-CN': '一个模板参数' };
  }
  if (head === 'nodes' && typeof index === 'number') {
    const name = stepName(stepInfo(doc, index).node);
    return field === 'label'
      ? { en: `The label of step ${name.en}`, 'zh-CN': `节点${name['zh-CN']}的名称` }
      : { en: `Step ${name.en}`, 'zh-CN': `节点${name['zh-CN']}` };
  }
  if (head === 'edges') return { en: 'A connection', 'zh-CN': '一条连线' };
  return { en: 'The flow document', 'zh-CN': '流程文档' };
}

export function storableIssue(
  doc: unknown,
  path: readonly (string | number)[],
  detail: LocalizedText,
): Issue {
  const [head, index, field] = path;
  if (head === 'nodes' && typeof index === 'number' && field === 'config')
    return configIssue(stepInfo(doc, index), path.slice(3), detail);
  const where = place(doc, path);
  return issue(
    'E_FORMAT',
    {
      en: `${where.en} ${detail.en.replace(/\.$/, '')}.`,
      'zh-CN': `${where['zh-CN']}${detail['zh-CN'].replace(/。$/, '')}。`,
    },
    { path, ...(head === 'nodes' && typeof index === 'number' ? nodeIdAt(doc, index) : {}) },
  );
}

function nodeIdAt(doc: unknown, index: number): { nodeId?: string } {
  const id = stepInfo(doc, index).node.id;
  return id ? { nodeId: id } : {};
}
