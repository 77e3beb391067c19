/**
 * The simulator on the shared table of journey cases (test/cases/journey-cases.ts): the same
 * outcomes the Temporal integration test asserts (test/integration/journey-cases.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { JOURNEY_CASES, stepLine } from '../../test/cases/journey-cases';
import { compile } from '../compile';
import { parseScenario, scenarioTime, simulate } from './index';

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
