/**
 * The baselines' workflow (bundled on its own, served by its own worker): `steps` no-op
 * activities in sequence, as bare as a Temporal workflow gets. Deterministic workflow code:
 * no I/O here.
 */
import { proxyActivities } from '@temporalio/workflow';

export interface NoopActivities {
  noop(step: number): Promise<number>;
}

// The same activity options as the journey workflow's, so only the work differs.
const acts = proxyActivities<NoopActivities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 100,
  },
});

export async function noopWorkflow(steps: number): Promise<number> {
  let done = 0;
  for (let i = 0; i < steps; i++) done += await acts.noop(i);
  return done;
}
