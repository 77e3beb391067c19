/**
 * Flows: the list and its actions (./list), the editor's loaders and actions (./editor),
 * publishing (./publish) and the status changes (./lifecycle). Routes and the CLI call these;
 * where a person acts (publish, pause, resume, archive, restore, create a tag) the Actor is
 * passed in and the audit entry is written in the same transaction as the change.
 */
import type { Issue } from '../../engine/index';
import type { Actor, ServiceDeps } from '../deps';
import { createFlowEditor } from './editor';
import { transitionFlow, type FlowTransition } from './lifecycle';
import { createFlowList } from './list';
import { loadBrandContext, publishDocument, type PublishOutcome } from './publish';

export function createFlows(deps: ServiceDeps) {
  return {
    ...createFlowList(deps),
    editor: createFlowEditor(deps),

    /** The brand's resources a flow may name (what publishing validates against). */
    brandContext: (brandId: string) => loadBrandContext(deps.db, brandId),

    /**
     * Validate against the brand → compile → version n+1 → live (the CLI's publish; the
     * editor's goes through `editor.publishFlow`, which checks the flow belongs to the brand).
     */
    publish: (
      actor: Actor,
      args: { flowId: string; brandId: string; draft: unknown; timezone: string },
    ): Promise<PublishOutcome> =>
      publishDocument(deps.db, {
        ...args,
        webhookAllowList: deps.webhookAllowList ?? [],
        actor,
      }),

    /** Pause, resume or archive by id (false when unknown or not in a status it moves from). */
    transition: (actor: Actor, brandId: string, flowId: string, action: FlowTransition) =>
      transitionFlow(deps.db, brandId, flowId, action, actor),
  };
}

export type FlowsService = ReturnType<typeof createFlows>;
export type { Issue, PublishOutcome };
