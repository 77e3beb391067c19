/**
 * Runs `fanfare flow …` in-process for the CLI's tests: what it printed to stdout and stderr,
 * the exit code it set, and the error it threw (a CliError, a usage CommanderError).
 */
import { Command } from 'commander';
import { vi } from 'vitest';
import { register } from './flow';

export async function runFlowCommand(
  ...args: string[]
): Promise<{ out: string[]; err: string[]; exitCode: number | undefined; error?: unknown }> {
  const program = new Command('fanfare')
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: () => {} });
  register(program);
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
  vi.spyOn(console, 'error').mockImplementation((line: string) => void err.push(line));
  process.exitCode = undefined;
  try {
    await program.parseAsync(args, { from: 'user' });
    return { out, err, exitCode: process.exitCode };
  } catch (error) {
    return { out, err, exitCode: process.exitCode, error };
  } finally {
    vi.restoreAllMocks();
  }
}
