/**
 * Journeys wait for days, so the workflow code must replay the histories of journeys that are
 * already running. test/fixtures/workflows/histories/ holds real journeys recorded on the full
 * stack (`npm run record:histories`): golden 48 hours (keyword, timeout, unfollow), cup QR, a
 * birthday sweep and its journey, a journey that continued as new, and (since the
 * `journey-local-condition` patch) one whose conditions ran as local activities. Each must replay on
 * today's bundle; a change that would break them fails here. The rules for changing
 * workflows/workflows/journey.ts are in docs/decisions/007-changing-journeys.md.
 */
import { readFileSync, readdirSync } from 'node:fs';
import proto from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { replayOnCurrentBundle } from '../support/replay';

const { History } = proto.temporal.api.history.v1;
const { EventType } = proto.temporal.api.enums.v1;
const dir = new URL('../fixtures/workflows/histories/', import.meta.url);

interface Recorded {
  name: string;
  scenario: string;
  workflowType: string;
  workflowId: string;
  history: string;
}
const recorded: Recorded[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as Recorded);

const decode = (r: Recorded) => History.decode(Buffer.from(r.history, 'base64'));
const replay = (history: proto.temporal.api.history.v1.IHistory, workflowId: string) =>
  replayOnCurrentBundle(history, workflowId);

describe('recorded journeys replay on the current workflow code', () => {
  it('covers the journeys the decision record names', () => {
    expect(recorded.map((r) => r.name)).toEqual(
      expect.arrayContaining([
        'golden48-keyword',
        'golden48-timeout',
        'golden48-unfollow',
        'cup-qr',
        'birthday-sweep',
        'birthday-journey',
        'continued-first-run',
        'continued-last-run',
        'channel-qr-local-condition',
      ]),
    );
    const ends = Object.fromEntries(
      recorded.map((r) => [r.name, EventType[decode(r).events.at(-1)!.eventType!]]),
    );
    expect(ends['continued-first-run']).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW');
    expect(ends['golden48-keyword']).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');
  });

  it.each(recorded)('$name ($scenario)', async (r) => {
    await expect(replay(decode(r), r.workflowId)).resolves.toBeUndefined();
  });

  it('fails when the workflow calls its activities in another order than the history says', async () => {
    // The keyword journey ran pushMessage, recordStep, issueCoupon, pushMessage, … Swapping what
    // two scheduled activities were is what replay sees after a code change that reorders the
    // calls (e.g. issuing the coupon before recording the step): it must refuse to go on.
    const r = recorded.find((x) => x.name === 'golden48-keyword')!;
    const history = decode(r);
    const scheduled = history.events
      .map((e) => e.activityTaskScheduledEventAttributes)
      .filter((a): a is NonNullable<typeof a> => !!a);
    const [a, b] = [scheduled[1]!, scheduled[2]!];
    expect([a.activityType?.name, b.activityType?.name]).toEqual(['recordStep', 'issueCoupon']);
    [a.activityType, b.activityType] = [b.activityType, a.activityType];
    [a.input, b.input] = [b.input, a.input];
    await expect(replay(history, r.workflowId)).rejects.toThrow(/[Nn]ondetermin|[Dd]eterminism/);
  });
});
