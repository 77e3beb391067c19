import { describe, expect, it } from 'vitest';
import { compile, FlowDraft } from '../../lib/engine';
import { simulate } from '../../../engine/simulate/index';
import { golden48 } from '../../../test/cases/journey-cases';
import {
  defaultScenario,
  defaultStart,
  fromLocalInput,
  highlightOf,
  isoInZone,
  messageSteps,
  nextEventAt,
  rowErrors,
  errorsByPath,
  shownAt,
  toLocalInput,
  triggerEvents,
} from './sim-model';

const doc = FlowDraft.parse(golden48);
const TZ = 'Asia/Shanghai';

describe('times in the flow’s zone', () => {
  it('writes an instant with the zone’s offset', () => {
    expect(isoInZone(Date.parse('2026-11-30T02:00:00Z'), TZ)).toBe('2026-11-30T10:00:00+08:00');
    expect(isoInZone(Date.parse('2026-07-01T12:00:00Z'), 'America/New_York')).toBe(
      '2026-07-01T08:00:00-04:00',
    );
  });
  it('starts at the next 10:00 by default', () => {
    expect(defaultStart(Date.parse('2026-11-30T01:00:00Z'), TZ)).toBe('2026-11-30T10:00:00+08:00');
    expect(defaultStart(Date.parse('2026-11-30T03:00:00Z'), TZ)).toBe('2026-12-01T10:00:00+08:00');
  });
  it('round-trips a datetime-local value', () => {
    expect(toLocalInput('2026-11-30T10:00:00+08:00', TZ)).toBe('2026-11-30T10:00');
    expect(fromLocalInput('2026-11-30T10:00', TZ)).toBe('2026-11-30T10:00:00+08:00');
    expect(fromLocalInput('', TZ)).toBeUndefined();
  });
});

describe('the default script', () => {
  it('follows for a follow trigger, an unsubscribed fan', () => {
    const s = defaultScenario(doc, Date.parse('2026-11-30T01:00:00Z'), TZ);
    expect(s.events).toEqual([{ at: '+0m', type: 'follow' }]);
    expect(s.follower?.subscribed).toBe(false);
    expect(s.until).toBe('+7d');
  });
  it('sends the trigger’s keyword', () => {
    const keyword = {
      ...doc,
      nodes: [{ id: 'k', kind: 'trigger.keyword', config: { keywords: ['咖啡'], match: 'exact' } }],
      edges: [],
    } as FlowDraft;
    expect(triggerEvents(keyword)).toEqual([{ at: '+0m', type: 'keyword', text: '咖啡' }]);
  });
});

describe('errors by row', () => {
  it('gathers a row’s field errors', () => {
    const errors = errorsByPath([
      { path: 'events[1].at', message: 'bad time' },
      { path: 'events[10].name', message: 'other row' },
      { path: 'until', message: 'too long' },
    ]);
    expect(rowErrors(errors, 1)).toEqual(['bad time']);
    expect(errors.get('until')).toBe('too long');
  });
});

describe('a playback of the golden flow', () => {
  it('reveals steps, messages and the lit path as the clock moves', async () => {
    const result = await simulate(compile(golden48), {
      start: '2026-11-30T10:00:00+08:00',
      events: [
        { at: '+0m', type: 'follow' },
        { at: '+3h', type: 'keyword', text: '有优惠吗' },
      ],
    });
    const start = Date.parse('2026-11-30T10:00:00+08:00');
    const first = shownAt(result, start);
    expect(result.trace.slice(0, first).map((s) => s.nodeId)).toEqual(['follow', 'hello', 'wait']);
    expect(nextEventAt(result, start)).toBe(start + 3 * 3_600_000);
    const steps = messageSteps(result);
    expect(steps.map((i) => result.trace[i]!.nodeId)).toEqual(['hello', 'reply']);

    const lit = highlightOf(result, first, doc.edges);
    expect([...lit.visited].sort()).toEqual(['follow', 'hello', 'wait']);
    expect(lit.current).toBe('wait');
    expect([...lit.edges].sort()).toEqual(['follow-next', 'hello-next']);

    const all = highlightOf(result, result.trace.length, doc.edges);
    expect(all.edges.has('wait-matched')).toBe(true);
    expect(all.edges.has('wait-timeout')).toBe(false);
    expect(all.visited.has('nudge')).toBe(false);
  });
});
