/**
 * The graph as validation sees it: nodes by id (first of duplicates wins), each with its
 * kind's spec and its parsed config when valid, and the edges that survived the structural
 * checks, by source node and port. Structural issues are reported while building it.
 */
import { issue, type Issue, type LocalizedText } from '../issues';
import { fieldPathLabel, portName, stepName, stepNameWithKind } from '../labels';
import { isNodeKind, specOf, type NodeKind, type NodeSpec } from '../nodes/index';
import type { DraftNode, FlowDraft } from '../schema/document';
import { describeZodIssue, fieldSentence, isPredicate, issueParams } from './zod-issues';

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

/** Per-node memo of `describeNode` (engine/validate/incremental.ts implements it). */
export interface DescribeCache {
  describe(
    node: DraftNode,
    index: number,
    issues: Issue[],
    describe: (node: DraftNode, index: number, issues: Issue[]) => NodeInfo,
  ): NodeInfo;
}

export function buildModel(doc: FlowDraft, issues: Issue[], cache?: DescribeCache): GraphModel {
  const nodes = new Map<string, NodeInfo>();
  const order: NodeInfo[] = [];
  doc.nodes.forEach((node, index) => {
    const first = nodes.get(node.id);
    if (first) {
      const [a, b] = [stepName(first.node), stepName(node)];
      issues.push(
        issue(
          'E_DUPLICATE_ID',
          {
            en: `${cap(b.en)} has the same internal id as ${a.en}: every step needs its own. Fix the file and import it again.`,
            'zh-CN': `${b['zh-CN']}与${a['zh-CN']}的内部编号相同，每个步骤的编号必须唯一。请修改文件后重新导入。`,
          },
          { nodeId: node.id, path: ['nodes', index, 'id'] },
        ),
      );
      return;
    }
    const info = cache
      ? cache.describe(node, index, issues, describeNode)
      : describeNode(node, index, issues);
    nodes.set(node.id, info);
    order.push(info);
  });

  const out = new Map<string, Map<string, string>>();
  const edgeIds = new Set<string>();
  doc.edges.forEach((edge, index) => {
    const where = { edgeId: edge.id, path: ['edges', index] };
    if (edgeIds.has(edge.id)) {
      const between = connectionText(nodes.get(edge.from)?.node, nodes.get(edge.to)?.node);
      issues.push(
        issue(
          'E_DUPLICATE_ID',
          {
            en: `${cap(between.en)} has the same internal id as another connection: every connection needs its own. Fix the file and import it again.`,
            'zh-CN': `${between['zh-CN']}与另一条连线的内部编号相同，每条连线的编号必须唯一。请修改文件后重新导入。`,
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
      const text: LocalizedText = from
        ? {
            en: `A connection from ${stepName(from.node).en} leads to a step that does not exist; remove it or reconnect it.`,
            'zh-CN': `从${stepName(from.node)['zh-CN']}出发的一条连线指向不存在的步骤，请删除或重新连接。`,
          }
        : to
          ? {
              en: `A connection into ${stepName(to.node).en} comes from a step that does not exist; remove it.`,
              'zh-CN': `进入${stepName(to.node)['zh-CN']}的一条连线来自不存在的步骤，请删除。`,
            }
          : {
              en: 'A connection joins two steps that do not exist; remove it.',
              'zh-CN': '一条连线连接的两个步骤都不存在，请删除。',
            };
      issues.push(
        issue('E_DANGLING_EDGE', text, {
          ...where,
          path: ['edges', index, !from ? 'from' : 'to'],
          ...(from ? { nodeId: from.node.id } : {}),
        }),
      );
      return;
    }
    const name = stepName(from.node);
    if (from.ports && !from.ports.includes(edge.port)) {
      const exits = from.ports.map(portName);
      const text: LocalizedText =
        exits.length === 0
          ? {
              en: `${cap(name.en)} ends the journey and has no exit, but a connection leaves it; remove that connection.`,
              'zh-CN': `${name['zh-CN']}会结束旅程，没有出口，但有一条连线从它出发；请删除这条连线。`,
            }
          : {
              en: `A connection leaves ${name.en} by an exit it does not have (its exits: ${exits.map((e) => e.en).join(', ')}); reconnect it from one of them.`,
              'zh-CN': `一条连线从${name['zh-CN']}不存在的出口出发（可用出口：${exits.map((e) => e['zh-CN']).join('、')}），请从可用出口重新连接。`,
            };
      issues.push(
        issue('E_BAD_PORT', text, {
          ...where,
          nodeId: from.node.id,
          path: ['edges', index, 'port'],
        }),
      );
      return;
    }
    if (to.spec?.category === 'trigger') {
      issues.push(
        issue(
          'E_TRIGGER_INPUT',
          {
            en: `${cap(stepName(to.node).en)} is a trigger: it starts journeys, so nothing can lead into it.`,
            'zh-CN': `${stepName(to.node)['zh-CN']}是触发器，只能作为旅程起点，不能有连线进入。`,
          },
          { ...where, nodeId: to.node.id, path: ['edges', index, 'to'] },
        ),
      );
      return;
    }
    let ports = out.get(edge.from);
    if (!ports) out.set(edge.from, (ports = new Map()));
    if (ports.has(edge.port)) {
      const exit = exitText(from, edge.port);
      issues.push(
        issue(
          'E_PORT_TAKEN',
          {
            en: `${cap(name.en)} already continues from ${exit.en}: one exit leads to one step only. Remove one of the two connections.`,
            'zh-CN': `${name['zh-CN']}的${exit['zh-CN']}已有连线，一个出口只能连接一个步骤。请删除其中一条连线。`,
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

/** Sentences start with a capital: "A step…", "\"Check\"…" stay as they are. */
export function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "the connection from 「A」 to 「B」", whichever ends exist. */
function connectionText(from: DraftNode | undefined, to: DraftNode | undefined): LocalizedText {
  if (from && to) {
    return {
      en: `the connection from ${stepName(from).en} to ${stepName(to).en}`,
      'zh-CN': `从${stepName(from)['zh-CN']}到${stepName(to)['zh-CN']}的连线`,
    };
  }
  return { en: 'a connection', 'zh-CN': '一条连线' };
}

/** An exit in a sentence: "its exit" when a step has only one, else "its \"Yes\" exit". */
export function exitText(info: NodeInfo, port: string): LocalizedText {
  const single = info.ports?.length === 1 && info.ports[0] === port;
  if (single) return { en: 'its exit', 'zh-CN': '出口' };
  const name = portName(port);
  return { en: `its ${name.en} exit`, 'zh-CN': `${name['zh-CN']}出口` };
}

function describeNode(node: DraftNode, index: number, issues: Issue[]): NodeInfo {
  const info: NodeInfo = { index, node, kind: null, spec: null, config: undefined, ports: null };
  if (!isNodeKind(node.kind)) {
    const label = node.label?.trim();
    issues.push(
      issue(
        'E_UNKNOWN_KIND',
        {
          en: `${label ? `${stepName(node).en} is a step` : 'A step'} of a kind this version of Fanfare does not know; it may come from a newer version. Remove it or update Fanfare.`,
          'zh-CN': `${label ? stepName(node)['zh-CN'] : '有一个步骤'}的类型无法识别，可能来自更新版本的 Fanfare。请删除该步骤或升级 Fanfare。`,
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
      issues.push(
        configIssue(info, iss.path, describeZodIssue(iss, node.kind), issueParams(iss).label),
      );
    // Fixed-port kinds still know their ports; split.random's depend on a valid config.
    if (node.kind !== 'split.random') info.ports = info.spec.ports(undefined);
  }
  return info;
}

/**
 * E_CONFIG on one field of a step's config: `「欢迎」（推送消息）：“消息内容”不能为空。`
 * `path` is relative to the config; the field is named by its label (../labels.ts).
 */
export function configIssue(
  info: NodeInfo,
  path: readonly PropertyKey[],
  detail: LocalizedText,
  /** The field's label in the panel, when the issue knows it better than its path. */
  label?: LocalizedText,
): Issue {
  const name = stepNameWithKind(info.node);
  const rel = path.filter((p): p is string | number => typeof p !== 'symbol');
  const field = label ?? (info.kind ? fieldPathLabel(info.kind, rel) : null);
  const clause = field
    ? fieldSentence(field, detail)
    : isPredicate(detail)
      ? {
          en: `this step ${detail.en.replace(/\.$/, '')}`,
          'zh-CN': `该步骤${detail['zh-CN'].replace(/。$/, '')}`,
        }
      : { en: detail.en.replace(/\.$/, ''), 'zh-CN': detail['zh-CN'].replace(/。$/, '') };
  return issue(
    'E_CONFIG',
    { en: `${cap(name.en)}: ${clause.en}.`, 'zh-CN': `${name['zh-CN']}：${clause['zh-CN']}。` },
    { nodeId: info.node.id, path: ['nodes', info.index, 'config', ...rel] },
  );
}
