/**
 * Incremental validation for the editor (docs/quality.md#benchmarks, the editor's
 * `incrementalValidateP95Ms`): `createIncrementalValidator()` returns a `validate` that gives
 * exactly what `validate()` gives (same issues, same order) but keeps, per node object, the
 * work that depends on that node alone. The editor's store is immutable, so an edit leaves
 * every other node the same object and only the edited nodes are parsed and described again;
 * the graph-wide checks (edges, reachability, loops, quota, resources) then run over the
 * cached per-node results.
 *
 * Exactness is by construction: the same check functions run, with their per-node inputs
 * memoised. Anything unusual (a node that does not parse, a string that cannot be stored, a
 * document that is not an object) takes the full path. incremental.test.ts compares the two
 * after random edits.
 */
import type { Issue } from '../issues';
import type { ResourceRef } from '../nodes/index';
import { DraftNode, FlowDraft } from '../schema/document';
import { MAX_DOCUMENT_DEPTH, unstorable } from '../schema/storable';
import type { NodeInfo } from './model';
import type { Placeholder } from './placeholders';

/** What one node's parse and description produced, at the index it had then. */
interface Described {
  index: number;
  info: NodeInfo;
  issues: Issue[];
}

/** Per-object memos shared by one editor's validations (weak: old versions are collected). */
export class ValidationCache {
  /** Raw node → its parsed draft node, or null when it needs the full path. */
  readonly parsed = new WeakMap<object, DraftNode | null>();
  /** Parsed node → its NodeInfo and describe issues. */
  readonly described = new WeakMap<DraftNode, Described>();
  /** Parsed config → the resources it names. */
  readonly refs = new WeakMap<object, ResourceRef[]>();
  /** Raw config → its placeholders. */
  readonly placeholders = new WeakMap<
    object,
    { placeholders: Placeholder[]; broken: (string | number)[][] }
  >();

  /** Config (or NO_CONFIG) → `id kind label` → the first parsed node seen with them. */
  private readonly same = new WeakMap<object, Map<string, DraftNode>>();
  /** The last document's parts but its nodes, and what they parsed to. */
  private shell: { values: unknown[]; keys: string[]; data: FlowDraft } | null = null;
  /** The last answer, and what it was computed from. */
  private last: { nodes: DraftNode[]; shell: FlowDraft; deps: unknown[]; issues: Issue[] } | null =
    null;

  /**
   * The issues of `parsed` (from `parse`): the last answer when neither a node (as validation
   * sees it), the rest of the document, nor `deps` (brand, options) changed — a step dragged
   * across the canvas — else `compute()`.
   */
  issuesOf(parsed: FlowDraft, deps: unknown[], compute: () => Issue[]): Issue[] {
    const last = this.last;
    if (
      last &&
      last.shell === this.shell?.data &&
      sameItems(last.nodes, parsed.nodes) &&
      sameItems(last.deps, deps)
    )
      return [...last.issues];
    const issues = compute();
    if (this.shell) this.last = { nodes: parsed.nodes, shell: this.shell.data, deps, issues };
    return [...issues];
  }

  /**
   * The document parsed as `FlowDraft.safeParse` would, its nodes taken from the memo; null
   * when something needs the full parse (then the caller parses the whole document). A node
   * that differs from one seen before only in its position (a drag) is given as that one:
   * validation never reads positions, so the answer is the same (and `issuesOf` reuses it).
   */
  parse(doc: unknown): FlowDraft | null {
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return null;
    const nodes = (doc as { nodes?: unknown }).nodes;
    if (!Array.isArray(nodes)) return null;
    const parsedNodes: DraftNode[] = [];
    for (const raw of nodes) {
      if (typeof raw !== 'object' || raw === null) return null;
      let node = this.parsed.get(raw);
      if (node === undefined) {
        node = parseNode(raw);
        if (node) node = this.canonical(node);
        this.parsed.set(raw, node);
      }
      if (node === null) return null;
      parsedNodes.push(node);
    }
    // Everything but the nodes: the whole document parses iff this and every node do.
    const shell = this.parseShell(doc as Record<string, unknown>);
    if (!shell) return null;
    return { ...shell, nodes: parsedNodes };
  }

  private parseShell(doc: Record<string, unknown>): FlowDraft | null {
    const keys = Object.keys(doc);
    const values = keys.map((k) => (k === 'nodes' ? null : doc[k]));
    const known = this.shell;
    if (known && sameItems(known.keys, keys) && sameItems(known.values, values)) return known.data;
    const parsed = FlowDraft.safeParse({ ...doc, nodes: [] });
    if (!parsed.success) return null;
    this.shell = { keys, values, data: parsed.data };
    return parsed.data;
  }

  /** The node seen before with the same id, kind, label and config object, else `node`. */
  private canonical(node: DraftNode): DraftNode {
    const config =
      typeof node.config === 'object' && node.config !== null ? node.config : NO_CONFIG;
    // A config that is not an object (absent, or wrong) is told apart by its type and value.
    const key = JSON.stringify([
      node.id,
      node.kind,
      node.label ?? null,
      config === NO_CONFIG ? `${typeof node.config}:${String(node.config)}` : '',
    ]);
    let byKey = this.same.get(config);
    if (!byKey) this.same.set(config, (byKey = new Map()));
    const seen = byKey.get(key);
    if (seen) return seen;
    byKey.set(key, node);
    return node;
  }

  /** `describe(node, index)` memoised by node; a moved node keeps its work, re-indexed. */
  describe(
    node: DraftNode,
    index: number,
    issues: Issue[],
    describe: (node: DraftNode, index: number, issues: Issue[]) => NodeInfo,
  ): NodeInfo {
    let done = this.described.get(node);
    if (!done) {
      const own: Issue[] = [];
      done = { index, info: describe(node, index, own), issues: own };
      this.described.set(node, done);
    } else if (done.index !== index) {
      done = {
        index,
        info: { ...done.info, index },
        issues: done.issues.map((i) => reindex(i, done!.index, index)),
      };
      this.described.set(node, done);
    }
    for (const i of done.issues) issues.push(i);
    return done.info;
  }
}

const NO_CONFIG = {};

function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A node parsed alone, or null when it has a problem (the full parse words those). */
function parseNode(raw: object): DraftNode | null {
  const parsed = DraftNode.safeParse(raw);
  if (!parsed.success) return null;
  // A node sits two levels under the document (nodes, its index).
  if (unstorable(raw, { maxDepth: MAX_DOCUMENT_DEPTH - 2, limit: 1 }).length > 0) return null;
  return parsed.data;
}

/** The same issue for the node now at `to` (issues point at `/nodes/<index>…`). */
function reindex(i: Issue, from: number, to: number): Issue {
  const prefix = `/nodes/${from}`;
  const path = i.path;
  if (path === undefined || !(path === prefix || path.startsWith(`${prefix}/`))) return i;
  return { ...i, path: `/nodes/${to}${path.slice(prefix.length)}` };
}
