/**
 * What changed between two versions of a flow document, in the marketer's words: steps added,
 * removed and changed (field by field, before → after), connections, settings. Pure; the
 * editor's publish dialog and the template library ("update available") show it.
 */
import { canonicalJson } from './hash';
import { fieldChanges, fieldLabel, kindTitle, type FieldChange } from './labels';
import type { LocalizedText } from './issues';
import { isNodeKind, specOf } from './nodes/index';
import type { DraftNode, FlowDraft } from './schema/document';

export interface FlowDiff {
  added: string[];
  removed: string[];
  /** Nodes whose kind, label or config changed (moving a node is not a change). */
  changed: string[];
  /** Connections added or removed, as `from.port → to`. */
  connectionsAdded: string[];
  connectionsRemoved: string[];
  /** The same connections, for naming their steps and exits. */
  connections: { from: string; port: string; to: string; change: 'added' | 'removed' }[];
  /** Top-level settings keys that differ, plus name / description / parameters. */
  settings: string[];
  /** For each changed step, what changed in it: field by field, before → after, in words. */
  stepChanges: Record<string, FieldChange[]>;
  /** The same for the flow's name, description and settings. */
  settingChanges: FieldChange[];
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
      return (
        old &&
        !(
          old.kind === n.kind &&
          (old.label ?? '') === (n.label ?? '') &&
          same(normalConfig(old), normalConfig(n))
        )
      );
    })
    .map((n) => n.id);
  const key = (e: { from: string; port?: string; to: string }) =>
    `${e.from}.${e.port ?? 'next'} → ${e.to}`;
  const edgesBefore = new Set((base?.edges ?? []).map(key));
  const edgesAfter = new Set(next.edges.map(key));
  const settingKeys = new Set([
    ...Object.keys(base?.settings ?? {}),
    ...Object.keys(next.settings ?? {}),
  ]);
  const settings = [...settingKeys].filter(
    (k) =>
      !same(
        (base?.settings as Record<string, unknown> | undefined)?.[k],
        (next.settings as Record<string, unknown> | undefined)?.[k],
      ),
  );
  if (base && base.name !== next.name) settings.unshift('name');
  if (base && (base.description ?? '') !== (next.description ?? '')) settings.push('description');
  if (base && !same(base.parameters ?? [], next.parameters ?? [])) settings.push('parameters');
  const connectionsAdded = [...edgesAfter].filter((e) => !edgesBefore.has(e));
  const connectionsRemoved = [...edgesBefore].filter((e) => !edgesAfter.has(e));
  const edgeOf = new Map(
    [...(base?.edges ?? []), ...next.edges].map((e) => [
      key(e),
      { from: e.from, port: e.port ?? 'next', to: e.to },
    ]),
  );
  const connections = [
    ...connectionsAdded.map((k) => ({ ...edgeOf.get(k)!, change: 'added' as const })),
    ...connectionsRemoved.map((k) => ({ ...edgeOf.get(k)!, change: 'removed' as const })),
  ];
  const stepChanges = Object.fromEntries(
    changed.map((id) => [id, stepFieldChanges(before.get(id)!, after.get(id)!)]),
  );
  const settingChanges = base
    ? fieldChanges(
        'document',
        { name: base.name, description: base.description, settings: base.settings ?? {} },
        { name: next.name, description: next.description, settings: next.settings ?? {} },
      )
    : [];
  return {
    added,
    removed,
    changed,
    connectionsAdded,
    connectionsRemoved,
    connections,
    settings: base ? settings : [],
    stepChanges,
    settingChanges,
    empty:
      added.length +
        removed.length +
        changed.length +
        connectionsAdded.length +
        connectionsRemoved.length +
        (base ? settings.length : 0) ===
      0,
  };
}

const both = (s: string): LocalizedText => ({ en: s, 'zh-CN': s });
const NOT_SET: LocalizedText = { en: '(not set)', 'zh-CN': '（未设置）' };

/** What changed in one step: its kind, its label, each field of its config. */
function stepFieldChanges(old: DraftNode, now: DraftNode): FieldChange[] {
  const out: FieldChange[] = [];
  if (old.kind !== now.kind) {
    out.push({
      path: ['kind'],
      label: fieldLabel('document', ['nodes', 0, 'kind'])!,
      before: kindTitle(old.kind) ?? both(old.kind),
      after: kindTitle(now.kind) ?? both(now.kind),
    });
  }
  if ((old.label ?? '').trim() !== (now.label ?? '').trim()) {
    out.push({
      path: ['label'],
      label: fieldLabel('document', ['nodes', 0, 'label'])!,
      before: old.label?.trim() ? both(old.label.trim()) : NOT_SET,
      after: now.label?.trim() ? both(now.label.trim()) : NOT_SET,
    });
  }
  if (old.kind === now.kind)
    out.push(...fieldChanges(now.kind, normalConfig(old), normalConfig(now)));
  return out;
}
