/**
 * How long each benchmark runs (kept apart from support.ts, which starts servers).
 *
 * `BENCH_SHORT=1` (CI): every scenario runs a few seconds with smaller counts, to prove it
 * still works and print its line; the full runs are the numbers that count (bench/README.md).
 */
export const SHORT = process.env.BENCH_SHORT === '1';

/** A count or duration: the environment variable when set, else the full or the short default. */
export function knob(name: string, full: number, short: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return SHORT ? short : full;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}
