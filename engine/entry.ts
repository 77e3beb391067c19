/**
 * Re-entry when a flow does not choose: `once` — a welcome gift goes to each follower once —
 * except for flows entered by a date that comes round again (a birthday, a repurchase), which
 * would otherwise greet each follower on the first date only: those enter again after the
 * previous journey ended. The editor shows this default and compile applies it.
 */
import { isNodeKind, specOf } from './nodes/index';
import type { Reentry, Settings } from './schema/document';

export function defaultReentry(doc: { nodes: readonly { kind: string }[] }): Reentry {
  const recurring = doc.nodes.some((n) => isNodeKind(n.kind) && specOf(n.kind).recurringDate);
  return recurring ? 'after_exit' : 'once';
}

/** The re-entry a flow runs with: its own choice, else the default for its triggers. */
export function reentryOf(doc: {
  nodes: readonly { kind: string }[];
  settings?: Settings | undefined;
}): Reentry {
  return doc.settings?.entry?.reentry ?? defaultReentry(doc);
}
