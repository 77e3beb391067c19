/**
 * The simulator on the shared table of journey cases (test/cases/journey-cases.ts): the same
 * outcomes the Temporal integration test asserts (test/integration/journey-cases.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { JOURNEY_CASES, stepLine } from '../../test/cases/journey-cases';
import { compile } from '../compile';
import { parseScenario, scenarioTime, simulate, ScenarioError } from './index';

describe('the simulator on the shared journey cases', () => {
  for (const c of JOURNEY_CASES) {
    it(c.name, async () => {
      const plan = compile(c.flow);
      const result = await simulate(plan, c.scenario);
      const steps = result.trace
        .filter((s) => s.outcome !== 'entered' && s.outcome !== 'waiting')
        .filter((s) => !(s.outcome === 'deferred' && s.port === null))
        .map((s) => stepLine({ ...s, channel: s.channel ?? null, reason: s.reason ?? null }));
      expect(steps).toEqual(c.expect.steps);
      expect(result.messages.map((m) => `${m.nodeId} ${m.channel}`)).toEqual(c.expect.messages);
      expect({ status: result.end.status, reason: result.end.reason }).toEqual(c.expect.end);
      const start = Date.parse(parseScenario(c.scenario).start);
      expect(result.end.at).toBe(
        new Date(scenarioTime(`+${c.expect.endsAfter}`, start)).toISOString(),
      );
    });
  }
});

describe('the simulator beyond the shared cases', () => {
  const golden = JOURNEY_CASES[0]!.flow;

  it('stops watching at `until`, saying where the fan waits', async () => {
    const result = await simulate(compile(golden), {
      start: '2026-11-30T10:00:00+08:00',
      events: [{ at: '+0m', type: 'follow' }],
      until: '+1d',
    });
    expect(result.end).toMatchObject({
      status: 'waiting',
      reason: 'until_reached',
      at: '2026-12-01T02:00:00.000Z',
    });
    expect(result.end.why.en).toContain('wait');
  });

  it('a fan already tagged takes the rule’s yes branch, and says which rule held', async () => {
    const flow = {
      format: 'fanfare.flow/v1',
      name: 'vip check',
      settings: {
        timezone: 'Asia/Shanghai',
        entry: { reentry: 'once' },
        quietHours: null,
        frequencyCap: null,
        exitOn: [],
        goal: null,
      },
      nodes: [
        { id: 'follow', kind: 'trigger.follow' },
        {
          id: 'vip',
          kind: 'condition.rules',
          config: {
            rules: { fact: 'follower', path: '$.tags', operator: 'contains', value: 'vip' },
          },
        },
        { id: 'yes', kind: 'flow.end' },
        { id: 'no', kind: 'flow.end' },
      ],
      edges: [
        { id: 'e1', from: 'follow', port: 'next', to: 'vip' },
        { id: 'e2', from: 'vip', port: 'yes', to: 'yes' },
        { id: 'e3', from: 'vip', port: 'no', to: 'no' },
      ],
    };
    const run = (tags: string[]) =>
      simulate(compile(flow), {
        follower: { tags },
        start: '2026-11-30T10:00:00+08:00',
        events: [{ at: '+0m', type: 'follow' }],
      });
    const vip = await run(['vip']);
    expect(vip.trace.find((s) => s.nodeId === 'vip')).toMatchObject({ port: 'yes' });
    expect(vip.trace.find((s) => s.nodeId === 'vip')!.why['zh-CN']).toContain('条件成立');
    expect((await run([])).trace.find((s) => s.nodeId === 'vip')).toMatchObject({ port: 'no' });
  });

  it('refuses a bad scenario with every problem named', () => {
    let caught: unknown;
    try {
      parseScenario({ start: '2026-11-30T10:00:00', events: [{ at: '+1x', type: 'follow' }] });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ScenarioError);
    expect((caught as ScenarioError).issues.map((i) => i.path)).toEqual(['start', 'events[0].at']);
  });
});
