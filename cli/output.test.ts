/**
 * Issue 14, item 9: the CLI writes all of its output before it exits, even to a reader slower
 * than the pipe's 64 KiB buffer, and a write that fails (the reader went away: EPIPE) is a
 * non-zero exit with a sentence — never a silent truncation with exit 0. Real processes and
 * real pipes; `flow compile` needs no database.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
let file: string;

beforeAll(() => {
  // ~40 steps per KiB of plan: 1,500 steps print ~300 KiB.
  const nodes: unknown[] = [{ id: 't', kind: 'trigger.follow', config: {} }];
  const edges: unknown[] = [];
  for (let i = 0; i < 1500; i++) {
    nodes.push({ id: `w${i}`, kind: 'wait.delay', label: `Wait ${i}`, config: { duration: '1h' } });
    edges.push({ id: `e${i}`, from: i ? `w${i - 1}` : 't', to: `w${i}` });
  }
  file = join(mkdtempSync(join(tmpdir(), 'fanfare-cli-')), 'big.json');
  writeFileSync(file, JSON.stringify({ format: 'fanfare.flow/v1', name: 'big', nodes, edges }));
});

/** Runs `fanfare flow compile <big>`, reading stdout only after `delayMs` (or never: 'close'). */
function compileTo(reader: { delayMs: number } | 'close') {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'cli/main.ts', 'flow', 'compile', file],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  if (reader === 'close') {
    // Read the first chunk, then go away — as `| head -c 100` does.
    child.stdout.once('data', () => child.stdout.destroy());
  } else {
    child.stdout.pause();
    setTimeout(() => {
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
      child.stdout.resume();
    }, reader.delayMs);
  }
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
}

describe('fanfare output', () => {
  it('a reader slower than the pipe gets every byte, exit 0', async () => {
    const run = await compileTo({ delayMs: 1500 });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.length).toBeGreaterThan(200 * 1024);
    const plan = JSON.parse(run.stdout) as { steps: Record<string, unknown> };
    expect(Object.keys(plan.steps)).toHaveLength(1501);
  }, 60_000);

  it('a reader that goes away: exit 1 with error E_OUTPUT, no stack trace', async () => {
    const run = await compileTo('close');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error E_OUTPUT: could not write to standard output \(EPIPE\)/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
