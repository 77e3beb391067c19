/**
 * Starts a brand's followers import (workflows/followers-import.ts) and follows it to its end,
 * reporting progress from `follower_imports` as it moves. Used by `fanfare followers import`
 * and its test alike. An import of the brand already running is followed, not started twice.
 */
import {
  ApplicationFailure,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  type Client,
} from '@temporalio/client';
import type { Db } from '../db/client';
import { readFollowerImport, type FollowerImportRow } from '../services/followers/imports';
import { followersImport, followersImportWorkflowId } from './workflows/followers-import';

export { readFollowerImport, type FollowerImportRow } from '../services/followers/imports';

/** The import ended in failure: its code (E_…/WECHAT_…) and a sentence. */
export class FollowersImportError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'FollowersImportError';
  }
}

export interface FollowersImportOutcome {
  /** An import of the brand was already running; this call followed it. */
  joined: boolean;
  row: FollowerImportRow;
}

export async function runFollowersImport(
  deps: { db: Db; temporal: Client; taskQueue: string },
  brandId: string,
  options: {
    onStart?: (info: { joined: boolean; workflowId: string }) => void;
    onProgress?: (row: FollowerImportRow) => void;
    pollMs?: number;
  } = {},
): Promise<FollowersImportOutcome> {
  const workflowId = followersImportWorkflowId(brandId);
  let joined = false;
  let handle;
  try {
    handle = await deps.temporal.workflow.start(followersImport, {
      taskQueue: deps.taskQueue,
      workflowId,
      args: [{ brandId }],
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    joined = true;
    handle = deps.temporal.workflow.getHandle(workflowId);
  }
  options.onStart?.({ joined, workflowId });
  const { runId } = await handle.describe();

  let settled = false;
  const result = handle.result().finally(() => {
    settled = true;
  });
  result.catch(() => undefined);
  let last = '';
  const report = async () => {
    const row = await readFollowerImport(deps.db, brandId);
    if (!row || row.runId !== runId) return;
    const key = `${row.status}:${row.pages}:${row.fetched}:${row.created}:${row.updated}`;
    if (key !== last) {
      last = key;
      options.onProgress?.(row);
    }
  };
  const pollMs = options.pollMs ?? 1000;
  while (!settled) {
    await Promise.race([result.catch(() => undefined), delay(pollMs)]);
    await report();
  }
  try {
    await result;
  } catch (error) {
    if (error instanceof WorkflowFailedError) {
      const cause = error.cause;
      const code =
        cause instanceof ApplicationFailure && cause.type ? cause.type : 'E_IMPORT_FAILED';
      throw new FollowersImportError(code, cause?.message ?? error.message);
    }
    throw error;
  }
  const row = await readFollowerImport(deps.db, brandId);
  if (!row) throw new FollowersImportError('E_IMPORT_LOST', 'the import finished without a record');
  return { joined, row };
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
