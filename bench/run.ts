/**
 * `npm run bench -- <scenario>`: runs bench/<scenario>.ts, whose default export returns the
 * result object (docs/quality.md#benchmarks); it is printed as the last line and saved to
 * bench/results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { SHORT } from './knobs';

export interface BenchResult {
  scenario: string;
  n: number;
  ours: Record<string, number>;
  baseline: Record<string, number> | null;
  ratio: number | null;
  unit: string;
  target?: string;
  pass?: boolean;
  /** Added by this runner: a short run (BENCH_SHORT=1), and the load average before it. */
  short?: boolean;
  load?: number[];
}

const scenario = process.argv[2];
if (!scenario || !/^[a-z-]+$/.test(scenario)) {
  console.error('usage: npm run bench -- <scenario>   (e.g. compile)');
  process.exit(2);
}
const mod = (await import(`./${scenario}.ts`).catch(() => null)) as {
  default: () => Promise<BenchResult>;
} | null;
if (!mod) {
  console.error(`no benchmark named "${scenario}" (bench/${scenario}.ts)`);
  process.exit(2);
}
const load = loadavg().map((x) => Math.round(x * 100) / 100);
const result = { ...(await mod.default()), short: SHORT, load };
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(
  new URL(`./results/${scenario}.json`, import.meta.url),
  JSON.stringify(result, null, 2),
);
console.log(JSON.stringify(result));
// A missed target fails a run someone asked for; CI only reports it (BENCH_REPORT_ONLY=1):
// timings on a shared machine are noise there, and a benchmark that breaks still fails.
if (result.pass === false && process.env.BENCH_REPORT_ONLY !== '1') process.exitCode = 1;
