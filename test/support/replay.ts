/**
 * Replays a journey's history on the workflow bundle under test (built once per run by the
 * global setup): resolves when today's code issues the commands the history recorded, rejects
 * with the nondeterminism otherwise (docs/decisions/007-changing-journeys.md).
 */
import type proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { inject } from 'vitest';

export function replayOnCurrentBundle(
  history: proto.temporal.api.history.v1.IHistory,
  workflowId: string,
): Promise<void> {
  return Worker.runReplayHistory(
    { workflowBundle: { codePath: inject('workflowBundlePath') } },
    history,
    workflowId,
  );
}
