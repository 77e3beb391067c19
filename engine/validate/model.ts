/**
 * The graph as validation sees it: nodes by id (first of duplicates wins), each with its
 * kind's spec and its parsed config when valid, and the edges that survived the structural
 * checks, by source node and port. Structural issues are reported while building it.
 */
import { issue, nodeName, type Issue } from '../issues';
import { isNodeKind, specOf, type NodeKind, type NodeSpec } from '../nodes/index';
import type { DraftNode, FlowDraft } from '../schema/document';
import { describeZodIssue, fieldName } from './zod-issues';

export interface NodeInfo {
  index: number;
  node: DraftNode;
  kind: NodeKind | null;
  spec: NodeSpec<unknown, unknown> | null;
  /** The parsed config (defaults applied), or undefined when the config is invalid. */
  config: unknown;
  ports: readonly string[] | null;
}

export interface GraphModel {
  doc: FlowDraft;
  nodes: Map<string, NodeInfo>;
  /** Nodes in document order (duplicates excluded). */
  order: NodeInfo[];
  /** Source id → port → target id. */
  out: Map<string, Map<string, string>>;
}

export function buildModel(doc: FlowDraft, issues: Issue[]): GraphModel {
  const nodes = new Map<string, NodeInfo>();
  const order: NodeInfo[] = [];
  doc.nodes.forEach((node, index) => {
    if (nodes.has(node.id)) {
      issues.push(
        issue(
          'E_DUPLICATE_ID',
          {
            en: `Two steps share the id "${node.id}" (${nodeName(node).en}); every step needs its own id.`,
            'zh-CN': `两个节点使用了相同的 id "${node.id}"（${nodeName(node)['zh-CN']}），每个节点的 id 必须唯一。`,
          },
          { nodeId: node.id, path: ['nodes', index, 'id'] },
        ),
      );
      return;
    }
    const info = describeNode(node, index, issues);
    nodes.set(node.id, info);
    order.push(info);
  });

  const out = new Map<string, Map<string, string>>();
  const edgeIds = new Set<string>();
  doc.edges.forEach((edge, index) => {
    const where = { edgeId: edge.id, path: ['edges', index] };
    if (edgeIds.has(edge.id)) {
      issues.push(
        issue(
          'E_DUPLICATE_ID',
          {
            en: `Two connections share the id "${edge.id}"; every connection needs its own id.`,
            'zh-CN': `两条连线使用了相同的 id "${edge.id}"，每条连线的 id 必须唯一。`,
          },
          { ...where, path: ['edges', index, 'id'] },
        ),
      );
      return;
    }
    edgeIds.add(edge.id);
    const from = nodes.get(edge.from);
    const to = nodes.get(edge.to);
    if (!from || !to) {
      const missing = !from ? edge.from : edge.to;
      issues.push(
        issue(
          'E_DANGLING_EDGE',
          {
            en: `A connection points to a step "${missing}" that does not exist; remove it or reconnect it.`,
            'zh-CN': `一条连线指向不存在的节点 "${missing}"，请删除或重新连接。`,
          },
          {
            ...where,
            path: ['edges', index, !from ? 'from' : 'to'],
            ...(from ? { nodeId: from.node.id } : {}),
          },
        ),
      );
      return;
    }
    const name = nodeName(from.node);
    if (from.ports && !from.ports.includes(edge.port)) {
      const ports = from.ports.length ? from.ports.join(', ') : null;
      issues.push(
        issue(
          'E_BAD_PORT',
          {
            en: `${name.en} has no exit "${edge.port}"${ports ? ` (its exits: ${ports})` : ' (it ends the journey and has no exits)'}.`,
            'zh-CN': `${name['zh-CN']}没有名为 "${edge.port}" 的出口${ports ? `（可用出口：${ports}）` : '（它结束旅程，没有出口）'}。`,
          },
          { ...where, nodeId: from.node.id, path: ['edges', index, 'port'] },
        ),
      );
      return;
    }
    if (to.spec?.category === 'trigger') {
      issues.push(
        issue(
          'E_TRIGGER_INPUT',
          {
            en: `${nodeName(to.node).en} is a trigger: it starts journeys, so nothing can lead into it.`,
            'zh-CN': `${nodeName(to.node)['zh-CN']}是触发器，只能作为旅程起点，不能有连线进入。`,
          },
          { ...where, nodeId: to.node.id, path: ['edges', index, 'to'] },
        ),
      );
      return;
    }
    let ports = out.get(edge.from);
    if (!ports) out.set(edge.from, (ports = new Map()));
    if (ports.has(edge.port)) {
      issues.push(
        issue(
          'E_PORT_TAKEN',
          {
            en: `${name.en} already continues from its exit "${edge.port}"; one exit leads to one step only.`,
            'zh-CN': `${name['zh-CN']}的出口 "${edge.port}" 已有连线，一个出口只能连接一个节点。`,
          },
          { ...where, nodeId: from.node.id, path: ['edges', index, 'port'] },
        ),
      );
      return;
    }
    ports.set(edge.port, edge.to);
  });
  return { doc, nodes, order, out };
}

function describeNode(node: DraftNode, index: number, issues: Issue[]): NodeInfo {
  const info: NodeInfo = { index, node, kind: null, spec: null, config: undefined, ports: null };
  const name = nodeName(node);
  if (!isNodeKind(node.kind)) {
    issues.push(
      issue(
        'E_UNKNOWN_KIND',
        {
          en: `${name.en} is of an unknown kind "${node.kind}"; it may come from a newer version of Fanfare.`,
          'zh-CN': `${name['zh-CN']}的类型 "${node.kind}" 无法识别，可能来自更新版本的 Fanfare。`,
        },
        { nodeId: node.id, path: ['nodes', index, 'kind'] },
      ),
    );
    return info;
  }
  info.kind = node.kind;
  info.spec = specOf(node.kind);
  const parsed = info.spec.config.safeParse(node.config === undefined ? {} : node.config);
  if (parsed.success) {
    info.config = parsed.data;
    info.ports = info.spec.ports(parsed.data);
  } else {
    for (const iss of parsed.error.issues)
      issues.push(configIssue(info, iss.path, describeZodIssue(iss)));
    // Fixed-port kinds still know their ports; split.random's depend on a valid config.
    if (node.kind !== 'split.random') info.ports = info.spec.ports(undefined);
  }
  return info;
}

export function configIssue(
  info: NodeInfo,
  path: readonly PropertyKey[],
  detail: { en: string; 'zh-CN': string },
): Issue {
  const name = nodeName(info.node);
  const field = fieldName(path);
  const title = info.spec?.title ?? { en: info.node.kind, 'zh-CN': info.node.kind };
  return issue(
    'E_CONFIG',
    {
      en: `${name.en} (${title.en}): ${field ? `"${field}" ` : 'the settings '}${detail.en.replace(/\.$/, '')}.`,
      'zh-CN': `${name['zh-CN']}（${title['zh-CN']}）：${field ? `“${field}”` : '设置'}${detail['zh-CN'].replace(/。$/, '')}。`,
    },
    {
      nodeId: info.node.id,
      path: ['nodes', info.index, 'config', ...(path as (string | number)[])],
    },
  );
}
