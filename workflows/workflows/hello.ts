import { proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';

const { recordHello } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumAttempts: 10 },
});

export interface HelloInput {
  brandId: string;
  greeting: string;
  /** A durable timer before the activity (e.g. '5s'); lets tests kill things mid-journey. */
  wait?: string;
}

/**
 * Proves the wiring end to end: a workflow on the task queue runs an activity that writes a
 * row. The row's dedupe key is the workflow id, so a retried activity never writes twice.
 */
export async function helloJourney(input: HelloInput): Promise<{ eventId: string }> {
  const { workflowId } = workflowInfo();
  if (input.wait) await sleep(input.wait as `${number}s`);
  return recordHello({
    brandId: input.brandId,
    greeting: input.greeting,
    dedupeKey: `hello:${workflowId}`,
  });
}
