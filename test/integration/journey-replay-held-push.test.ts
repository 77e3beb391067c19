/**
 * Journeys wait for days: a changed workflow must still replay the histories of journeys
 * started by an older worker (changes go behind `patched()`). Each fixture is the history of a
 * journey recorded with the workflow code of its day; it must replay with today's bundle.
 */
import { readFileSync } from 'node:fs';
import { temporal } from '@temporalio/proto';
import { expect, it } from 'vitest';
import { replayOnCurrentBundle } from '../support/replay';

/**
 * A history as `fetchHistory()` gives it, saved as JSON. Decoded with the proto classes
 * directly: the SDK's own JSON path (historyFromJSON) trips over two protobufjs copies.
 */
const fixture = (name: string) =>
  temporal.api.history.v1.History.fromObject(
    JSON.parse(readFileSync(new URL(`../fixtures/workflows/${name}`, import.meta.url), 'utf8')),
  );

it.each([
  {
    // Before resume signals: the push was held, a flowResumed signal arrived (sent by a newer
    // router), and the journey went on only when its 15-minute timer fired.
    name: 'journey-held-push-v1.history.json',
    workflowId: 'journey held a push before resuming released it',
  },
])('replays $workflowId', async ({ name, workflowId }) => {
  const history = fixture(name);
  await expect(replayOnCurrentBundle(history, workflowId)).resolves.toBeUndefined();
});
