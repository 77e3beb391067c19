/**
 * Pure helpers around the flow document shared by the browser and the server: the blank
 * draft a new flow starts from, and what changed between two versions of a flow.
 */
import { canonicalJson, FORMAT, isNodeKind, specOf, type DraftNode, type FlowDraft } from './engine';

export function blankDraft(name: string, timezone: string): FlowDraft {
  return {
    format: FORMAT,
    name,
    settings: {
      timezone,
      entry: { reentry: 'once' },
      quietHours: null,
      frequencyCap: null,
      exitOn: [],
      goal: null,
    },
    nodes: [],
    edges: [],
  };
}

export interface FlowDiff {
  added: string[];
  removed: string[];
  /** Nodes whose kind, label or config changed (moving a node is not a change). */
  changed: string[];
  /** Connections added or removed, as `from.port → to`. */
  connectionsAdded: string[];
  connectionsRemoved: string[];
  /** Top-level settings keys that differ, plus name / description / parameters. */
  settings: string[];
  empty: boolean;
}

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

/** A config with its kind's defaults applied (published versions are stored that way). */
function normalConfig(node: DraftNode): unknown {
  if (!isNodeKind(node.kind)) return node.config;
  const parsed = specOf(node.kind).config.safeParse(node.config ?? {});
  return parsed.success ? parsed.data : node.config;
}

/** What publishing `next` would change compared with `base` (null: nothing published yet). */
export function diffFlows(base: FlowDraft | null, next: FlowDraft): FlowDiff {
  const before = new Map((base?.nodes ?? []).map((n) => [n.id, n]));
  const after = new Map(next.nodes.map((n) => [n.id, n]));
  const added = [...after.keys()].filter((id) => !before.has(id));
  const removed = [...before.keys()].filter((id) => !after.has(id));
  const changed = [...after.values()]
    .filter((n) => {
      const old = before.get(n.id);
      return old && !(old.kind === n.kind && (old.label ?? '') === (n.label ?? '') && same(normalConfig(old), normalConfig(n)));
    })
    .map((n) => n.id);
  const key = (e: { from: string; port?: string; to: string }) => `${e.from}.${e.port ?? 'next'} → ${e.to}`;
  const edgesBefore = new Set((base?.edges ?? []).map(key));
  const edgesAfter = new Set(next.edges.map(key));
  const settingKeys = new Set([...Object.keys(base?.settings ?? {}), ...Object.keys(next.settings ?? {})]);
  const settings = [...settingKeys].filter((k) =>
    !same((base?.settings as Record<string, unknown> | undefined)?.[k], (next.settings as Record<string, unknown> | undefined)?.[k]),
  );
  if (base && base.name !== next.name) settings.unshift('name');
  if (base && (base.description ?? '') !== (next.description ?? '')) settings.push('description');
  if (base && !same(base.parameters ?? [], next.parameters ?? [])) settings.push('parameters');
  const connectionsAdded = [...edgesAfter].filter((e) => !edgesBefore.has(e));
  const connectionsRemoved = [...edgesBefore].filter((e) => !edgesAfter.has(e));
  return {
    added,
    removed,
    changed,
    connectionsAdded,
    connectionsRemoved,
    settings: base ? settings : [],
    empty:
      added.length + removed.length + changed.length + connectionsAdded.length + connectionsRemoved.length + (base ? settings.length : 0) === 0,
  };
}
