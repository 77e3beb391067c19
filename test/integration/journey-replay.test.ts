/**
 * Journeys that started before a change replay on the new code: the histories below were
 * recorded with the journey workflow as it was before issue 8 (a custom event's `where` rules
 * ignored after entry: a "free" signup passed a wait for "pro" signups, a "free" upgrade
 * converted, a "free" cancel exited). Today those events match nothing — so replaying them
 * only works because the change is behind `patched('journey-where-rules')`.
 *
 * Recorded by running `git show 922a8d9:workflows/workflows/journey.ts` on a dev server with
 * stub activities, each history saved as its binary protobuf (`History.encode`) in base64 —
 * the SDK's JSON reader trips over the two protobufjs copies in our dependency tree.
 */
import { readFileSync } from 'node:fs';
import proto from '@temporalio/proto';
import { expect, it } from 'vitest';
import { replayOnCurrentBundle } from '../support/replay';

const { History } = proto.temporal.api.history.v1;
const recorded = JSON.parse(
  readFileSync(
    new URL('../fixtures/workflows/journey-histories-before-issue8.json', import.meta.url),
    'utf8',
  ),
) as { workflowId: string; recorded: string; history: string }[];

it.each(recorded)('$workflowId ($recorded) replays on the current journey', async (r) => {
  const history = History.decode(Buffer.from(r.history, 'base64'));
  const last = history.events.at(-1)!.eventType;
  expect(last).toBe(proto.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
  await expect(replayOnCurrentBundle(history, r.workflowId)).resolves.toBeUndefined();
});
