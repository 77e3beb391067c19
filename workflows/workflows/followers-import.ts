/**
 * Imports a brand's existing WeChat followers, page by page (activities/followers-import.ts).
 * One per brand at a time: its workflow id is `followers-import:<brandId>`. Progress lives in
 * `follower_imports`; an import started after a failed one resumes at its next_openid.
 *
 * WeChat's call limits: a page is one user/get call and up to 100 batchget calls, run one after
 * another; "busy" answers (45009 api freq out of limit, -1 system busy) are retried here with a
 * growing backoff, up to half an hour between attempts.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  proxyActivities,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';

const book = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 20 },
});

const pages = proxyActivities<Activities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '2 minutes',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '30 minutes',
    maximumAttempts: 12,
  },
});

export const followersImportWorkflowId = (brandId: string) => `followers-import:${brandId}`;

export interface FollowersImportResult {
  pages: number;
  fetched: number;
  created: number;
  updated: number;
  total: number | null;
}

export async function followersImport(input: { brandId: string }): Promise<FollowersImportResult> {
  const { workflowId, runId } = workflowInfo();
  const { brandId } = input;
  let progress = await book.beginFollowersImport({ brandId, workflowId, runId });
  try {
    for (;;) {
      const page = await pages.importFollowersPage({
        brandId,
        runId,
        nextOpenid: progress.nextOpenid,
      });
      progress = page;
      if (page.done) break;
    }
  } catch (error) {
    const cause = error instanceof ActivityFailure ? error.cause : error;
    const code = cause instanceof ApplicationFailure && cause.type ? cause.type : 'E_IMPORT_FAILED';
    const message = cause instanceof Error ? cause.message : String(cause);
    await book.finishFollowersImport({ brandId, runId, error: `${code}: ${message}` });
    throw ApplicationFailure.nonRetryable(message, code);
  }
  await book.finishFollowersImport({ brandId, runId });
  const { pages: n, fetched, created, updated, total } = progress;
  return { pages: n, fetched, created, updated, total };
}
