/**
 * `fanfare flow simulate` (acceptance 2 of the simulator issue): the trace, `--json` that
 * parses into the documented shape, and clear errors for a bad scenario or flow.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JOURNEY_CASES } from '../../test/cases/journey-cases';
import { CliError } from '../context';
import { runFlowCommand } from './flow-test-run';

const run = runFlowCommand;

afterEach(() => {
  process.exitCode = undefined;
});

const dir = mkdtempSync(join(tmpdir(), 'fanfare-simulate-'));
const file = (name: string, value: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
};
const golden = JOURNEY_CASES[0]!;
const flowFile = file('golden.json', golden.flow);
const scenarioFile = file('keyword.json', golden.scenario);

describe('fanfare flow simulate', () => {
  it('prints the trace, the messages and the end, in the flow’s time zone', async () => {
    const { out, exitCode, error } = await run(
      'flow',
      'simulate',
      flowFile,
      '--scenario',
      scenarioFile,
      '--lang',
      'zh-CN',
    );
    expect(error).toBeUndefined();
    expect(exitCode).toBeUndefined();
    const text = out.join('\n');
    expect(text).toMatch(/2026-11-30 13:00 {2}wait +completed → matched/);
    expect(text).toContain('新人券 SAMPLE-0001');
    expect(text).toContain('完成了流程');
  });

  it('--json parses into {trace, messages, end} with ISO times of the virtual clock', async () => {
    const { out } = await run('flow', 'simulate', flowFile, '--scenario', scenarioFile, '--json');
    expect(out).toHaveLength(1);
    const result = JSON.parse(out[0]!) as {
      trace: {
        at: string;
        nodeId: string;
        kind: string;
        port: string | null;
        outcome: string;
        why: { en: string; 'zh-CN': string };
      }[];
      messages: {
        at: string;
        nodeId: string;
        channel: string;
        message: { type: string; text?: string };
      }[];
      end: { status: string; reason: string | null; at: string };
    };
    expect(result.trace.map((s) => [s.nodeId, s.port, s.outcome])).toContainEqual([
      'wait',
      'matched',
      'completed',
    ]);
    for (const s of result.trace) {
      expect(Object.keys(s)).toEqual(
        expect.arrayContaining(['at', 'nodeId', 'kind', 'port', 'outcome', 'why']),
      );
      expect(s.why.en.length).toBeGreaterThan(0);
      expect(s.why['zh-CN'].length).toBeGreaterThan(0);
    }
    expect(result.messages.map((m) => [m.at, m.nodeId, m.channel, m.message.text])).toEqual([
      ['2026-11-30T02:00:00.000Z', 'hello', 'customer_service', '欢迎关注！回复“优惠”领券。'],
      ['2026-11-30T05:00:00.000Z', 'reply', 'customer_service', '新人券 SAMPLE-0001'],
    ]);
    expect(result.end).toMatchObject({
      status: 'completed',
      reason: null,
      at: '2026-11-30T05:00:00.000Z',
    });
  });

  it('names every bad field of a scenario (E_SCENARIO)', async () => {
    const bad = file('bad.json', {
      start: 'tomorrow morning',
      events: [
        { at: '3h', type: 'keyword' },
        { at: '+1h', type: 'custom' },
      ],
    });
    const { error } = await run('flow', 'simulate', flowFile, '--scenario', bad);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).code).toBe('E_SCENARIO');
    expect((error as CliError).message).toContain('start: should be an ISO time');
    expect((error as CliError).message).toContain('events[0].at: should be an offset');
  });

  it('says so when the scenario is not JSON, or the watch is too long or ends before it starts', async () => {
    const notJson = file('broken.json', '{"start": ');
    const r1 = await run('flow', 'simulate', flowFile, '--scenario', notJson);
    expect((r1.error as CliError).code).toBe('E_BAD_JSON');
    const backwards = file('backwards.json', {
      start: '2026-11-30T10:00:00+08:00',
      events: [{ at: '+1h', type: 'custom' }],
      until: '2026-11-29T10:00:00+08:00',
    });
    const r2 = await run('flow', 'simulate', flowFile, '--scenario', backwards);
    expect((r2.error as CliError).message).toContain('until: must come after the start');
    expect((r2.error as CliError).message).toContain(
      'events[0].name: a custom event needs its name',
    );
  });

  it('refuses a flow with errors, listing them (exit 1)', async () => {
    const broken = file('broken-flow.json', { ...golden.flow, edges: [] });
    const { err, exitCode } = await run('flow', 'simulate', broken, '--scenario', scenarioFile);
    expect(exitCode).toBe(1);
    expect(err.join('\n')).toMatch(/error/i);
  });

  it('reports a flow nobody enters instead of inventing a path', async () => {
    const silent = file('unfollow-only.json', {
      start: '2026-11-30T10:00:00+08:00',
      events: [{ at: '+1h', type: 'keyword', text: 'hi' }],
    });
    const { out } = await run('flow', 'simulate', flowFile, '--scenario', silent, '--json');
    const result = JSON.parse(out[0]!) as { trace: unknown[]; end: { status: string } };
    expect(result.trace).toEqual([]);
    expect(result.end.status).toBe('not_entered');
  });
});
