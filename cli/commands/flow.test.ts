import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CommanderError } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { CliError } from '../context';
import { runFlowCommand } from './flow-test-run';

const fixtures = fileURLToPath(new URL('../../test/fixtures/flows/', import.meta.url));
const root = fileURLToPath(new URL('../../', import.meta.url));

const run = runFlowCommand;

afterEach(() => {
  process.exitCode = undefined;
});

describe('fanfare flow validate', () => {
  it('a valid scenario: readable "no issues", exit 0', async () => {
    const r = await run('flow', 'validate', `${fixtures}valid/cup-qr-coupon-vip.json`);
    expect(r.exitCode).toBeUndefined();
    expect(r.out.join('\n')).toMatch(/no issues/);
  });

  it('--json prints exactly one line with ok and the issues; errors exit 1', async () => {
    const r = await run('flow', 'validate', `${fixtures}invalid/E_DANGLING_EDGE.json`, '--json');
    expect(r.exitCode).toBe(1);
    expect(r.out).toHaveLength(1);
    expect(r.out[0]).not.toContain('\n');
    const parsed = JSON.parse(r.out[0]!);
    expect(parsed.ok).toBe(false);
    expect(parsed.issues[0]).toEqual({
      code: 'E_DANGLING_EDGE',
      severity: 'error',
      nodeId: 'end',
      edgeId: 'e2',
      path: '/edges/1/to',
      message: expect.stringContaining('a step that does not exist'),
    });
    // The id is for --json's nodeId and path: the sentence names steps as the marketer sees them.
    expect(parsed.issues[0].message).not.toContain('ghost');
    expect(Object.keys(parsed.issues[0])).toEqual([
      'code',
      'severity',
      'nodeId',
      'edgeId',
      'path',
      'message',
    ]);
  });

  it('warnings only: ok true, exit 0; --lang zh-CN gives Chinese messages', async () => {
    const r = await run(
      'flow',
      'validate',
      `${fixtures}invalid/W_CS_WINDOW.json`,
      '--json',
      '--lang',
      'zh-CN',
    );
    expect(r.exitCode).toBeUndefined();
    const parsed = JSON.parse(r.out[0]!);
    expect(parsed.ok).toBe(true);
    expect(parsed.issues.map((i: { code: string }) => i.code)).toEqual(['W_CS_WINDOW']);
    expect(parsed.issues[0].message).toMatch(/客服消息/);
  });

  it('a birthday flow set to "once" warns W_DATE_TRIGGER_ONCE, in both languages', async () => {
    const file = `${fixtures}invalid/W_DATE_TRIGGER_ONCE.json`;
    const readable = await run('flow', 'validate', file);
    expect(readable.exitCode).toBeUndefined();
    expect(readable.out.join('\n')).toMatch(
      /0 errors, 1 warning[\s\S]*W_DATE_TRIGGER_ONCE[\s\S]*greeted on one birthday only/,
    );
    const zh = await run('flow', 'validate', file, '--json', '--lang', 'zh-CN');
    const parsed = JSON.parse(zh.out[0]!);
    expect(parsed.ok).toBe(true);
    expect(parsed.issues).toMatchObject([
      { code: 'W_DATE_TRIGGER_ONCE', severity: 'warning', path: '/settings/entry/reentry' },
    ]);
    expect(parsed.issues[0].message).toMatch(/只会在一个生日收到祝福/);
  });

  it('the readable list names code, node and sentence', async () => {
    const r = await run('flow', 'validate', `${fixtures}invalid/E_CONFIG.json`);
    expect(r.exitCode).toBe(1);
    expect(r.out.join('\n')).toMatch(
      /1 error, 0 warnings[\s\S]*E_CONFIG\s+\[node w \/nodes\/1\/config\/duration\] "等两天"/,
    );
  });

  it('--context adds the brand checks', async () => {
    const file = `${fixtures}invalid/E_UNKNOWN_RESOURCE.json`;
    expect((await run('flow', 'validate', file, '--json')).exitCode).toBeUndefined();
    const r = await run(
      'flow',
      'validate',
      file,
      '--json',
      '--context',
      `${fixtures}invalid/E_UNKNOWN_RESOURCE.context.json`,
    );
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.out[0]!).issues[0].code).toBe('E_UNKNOWN_RESOURCE');
  });

  it('an unreadable file or bad JSON is a coded error', async () => {
    const missing = await run('flow', 'validate', '/definitely/not/here.json');
    expect(missing.error).toBeInstanceOf(CliError);
    expect(missing.error).toMatchObject({ code: 'E_FILE_UNREADABLE', exitCode: 1 });
    const dir = mkdtempSync(join(tmpdir(), 'flow-cli-'));
    writeFileSync(join(dir, 'bad.json'), '{"format": ');
    const bad = await run('flow', 'validate', join(dir, 'bad.json'));
    expect(bad.error).toMatchObject({ code: 'E_BAD_JSON', exitCode: 1 });
  });

  it('usage errors exit 2', async () => {
    const r = await run('flow', 'validate');
    expect(r.error).toBeInstanceOf(CommanderError);
    expect((r.error as CommanderError).exitCode).toBe(2);
    const lang = await run(
      'flow',
      'validate',
      `${fixtures}valid/birthday-gift.json`,
      '--lang',
      'fr',
    );
    expect(lang.error).toMatchObject({ code: 'E_USAGE', exitCode: 2 });
  });
});

describe('fanfare flow compile', () => {
  it('prints the plan as JSON', async () => {
    const r = await run('flow', 'compile', `${fixtures}valid/birthday-gift.json`);
    expect(r.exitCode).toBeUndefined();
    const plan = JSON.parse(r.out.join('\n'));
    expect(plan).toMatchObject({
      format: 'fanfare.plan/v1',
      steps: { bday: { kind: 'trigger.birthday', next: { next: 'coupon' } } },
    });
    expect(plan.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('an invalid flow prints its issues and exits 1', async () => {
    const r = await run('flow', 'compile', `${fixtures}invalid/E_PORT_TAKEN.json`);
    expect(r.exitCode).toBe(1);
    expect(r.out).toEqual([]);
    expect(r.err.join('\n')).toContain('E_PORT_TAKEN');
  });
});

describe('through the real entry point (npx tsx cli/main.ts)', () => {
  const cli = (...args: string[]) => {
    try {
      return {
        status: 0,
        stdout: execFileSync('npx', ['tsx', 'cli/main.ts', ...args], {
          cwd: root,
          encoding: 'utf8',
          stdio: 'pipe',
        }),
      };
    } catch (e) {
      const x = e as { status: number; stdout: string };
      return { status: x.status, stdout: x.stdout };
    }
  };
  it('validate --json: one line, exit codes 0 / 1 / 2', () => {
    const ok = cli('flow', 'validate', `${fixtures}valid/golden-48h-welcome.json`, '--json');
    expect(ok.status).toBe(0);
    expect(ok.stdout.trim().split('\n')).toEqual(['{"ok":true,"issues":[]}']);
    const bad = cli('flow', 'validate', `${fixtures}invalid/E_NO_TRIGGER.json`, '--json');
    expect(bad.status).toBe(1);
    expect(JSON.parse(bad.stdout).issues[0].code).toBe('E_NO_TRIGGER');
    expect(cli('flow', 'validate').status).toBe(2);
  }, 60_000);
});
