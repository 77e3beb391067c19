/**
 * Issue 15: since the `journey-local-condition` patch a condition is judged in a local activity
 * (engine/journey/run.ts JOURNEY_PATCHES, docs/decisions/007-changing-journeys.md). A journey
 * run on today's code records a marker per condition instead of an activity task, takes the
 * same branches and leaves the same step records, and its history replays. Histories recorded
 * before the patch (regular activities) replay in journey-replay-recorded.test.ts.
 */
import proto from '@temporalio/proto';
import { eq } from 'drizzle-orm';
import { replayOnCurrentBundle } from '../support/replay';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { journeySteps, journeys } from '../../db/schema';
import { startRuntime, type Runtime } from '../support/runtime';

const { EventType } = proto.temporal.api.enums.v1;

let rt: Runtime;
beforeAll(async () => {
  rt = await startRuntime();
});
afterAll(() => rt?.close());

it('judges conditions in local activities: same branches and records, and the history replays', async () => {
  const { flowId } = await rt.publish('test/fixtures/flows/valid/channel-qr-source.json');
  await rt.running(async () => {
    await rt.control.follow(rt.brand.appId, 'o_poster_fan', { scene: 'poster_7' });
    await expect
      .poll(
        async () =>
          (
            await rt.handle.db
              .select({ status: journeys.status })
              .from(journeys)
              .where(eq(journeys.flowId, flowId))
          ).map((j) => j.status),
        { timeout: 30_000, interval: 200 },
      )
      .toEqual(['completed']);
  });
  const [journey] = await rt.handle.db
    .select({ id: journeys.id, workflowId: journeys.workflowId })
    .from(journeys)
    .where(eq(journeys.flowId, flowId));

  // isStore → no, isPoster → yes: each condition's record carries the port it left by.
  const steps = await rt.handle.db
    .select({
      nodeId: journeySteps.nodeId,
      status: journeySteps.status,
      output: journeySteps.output,
    })
    .from(journeySteps)
    .where(eq(journeySteps.journeyId, journey!.id));
  const port = (id: string) =>
    (steps.find((s) => s.nodeId === id)?.output as { port?: string } | null)?.port;
  expect([port('isStore'), port('isPoster')]).toEqual(['no', 'yes']);
  expect(steps.map((s) => s.nodeId)).toContain('tagPoster');

  const history = await rt.temporal.workflow.getHandle(journey!.workflowId).fetchHistory();
  const events = history.events ?? [];
  const scheduled = events
    .filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
    .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name);
  expect(scheduled).not.toContain('evaluateCondition');
  expect(scheduled).toEqual(expect.arrayContaining(['tagFollower', 'finishJourney']));
  const markers = events.filter((e) => e.eventType === EventType.EVENT_TYPE_MARKER_RECORDED);
  // The patch's marker and one local-activity marker per condition.
  expect(markers.map((m) => m.markerRecordedEventAttributes?.markerName).sort()).toEqual(
    ['core_local_activity', 'core_local_activity', 'core_patch'].sort(),
  );

  await expect(replayOnCurrentBundle(history, journey!.workflowId)).resolves.toBeUndefined();
});
