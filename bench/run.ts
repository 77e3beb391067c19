/**
 * `npm run bench -- <scenario>`: runs bench/<scenario>.ts, whose default export returns the
 * result object of QUALITY.md; it is printed as the last line and saved to bench/results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';

export interface BenchResult {
  scenario: string;
  n: number;
  ours: Record<string, number>;
  baseline: Record<string, number> | null;
  ratio: number | null;
  unit: string;
  target?: string;
  pass?: boolean;
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
const result = await mod.default();
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(
  new URL(`./results/${scenario}.json`, import.meta.url),
  JSON.stringify(result, null, 2),
);
console.log(JSON.stringify(result));
if (result.pass === false) process.exitCode = 1;
