/**
 * `fanfare flow stats <flow> --brand <slug> [--version n|live] [--from day] [--to day] [--json]`:
 * a flow's results from its counters (services/analytics/stats.ts), as the stats API answers
 * them. The flow is named by id or name, as `flow export` names it.
 */
import type { Command } from 'commander';
import { createFlowStats, type NodeStats } from '../../services/analytics/stats';
import { CliError, brandBySlug, flowByRef, withDatabase } from '../context';

function nodeLine(id: string, n: NodeStats): string {
  const ports = Object.entries(n.ports)
    .map(([p, c]) => `${p}=${c}`)
    .join(' ');
  const skipped = Object.entries(n.messages.skipped)
    .map(([r, c]) => `${r}=${c}`)
    .join(' ');
  const msgs =
    n.messages.sent || n.messages.failed || skipped
      ? `  sent ${n.messages.sent}, failed ${n.messages.failed}${skipped ? `, skipped ${skipped}` : ''}`
      : '';
  return `  ${id.padEnd(16)} entered ${n.entered}, waiting ${n.waiting}, completed ${n.completed}, exited ${n.exited}, failed ${n.failed}${ports ? `  ports ${ports}` : ''}${msgs}`;
}

export function registerStats(flow: Command): void {
  flow
    .command('stats <flow>')
    .description(
      "a flow's results: journeys, and per step entered/waiting/completed, ports, messages",
    )
    .requiredOption('--brand <slug>', 'the brand')
    .option('--version <n>', 'a version number, or "live" (default: every version together)')
    .option('--from <day>', 'first day counted, YYYY-MM-DD in the brand time zone')
    .option('--to <day>', 'last day counted, YYYY-MM-DD in the brand time zone')
    .option('--json', 'print the stats API answer as JSON')
    .action(
      async (
        ref: string,
        opts: { brand: string; version?: string; from?: string; to?: string; json?: boolean },
      ) => {
        await withDatabase(async ({ db }) => {
          const brand = await brandBySlug(db, opts.brand);
          const row = await flowByRef(db, brand, ref);
          const result = await createFlowStats({ db }).read(brand.id, row.id, {
            version: opts.version ?? null,
            from: opts.from ?? null,
            to: opts.to ?? null,
          });
          if (!result.ok) throw new CliError(result.code, result.message);
          const s = result.stats;
          if (opts.json) {
            console.log(JSON.stringify(s));
            return;
          }
          const j = s.journeys;
          const range = opts.from || opts.to ? ` ${opts.from ?? '…'} – ${opts.to ?? '…'}` : '';
          console.log(
            `flow "${row.name}" (${row.id}), ${result.version ? `version ${result.version}` : 'all versions'}${range}`,
          );
          console.log(
            `journeys: entered ${j.entered}, active ${j.active}, completed ${j.completed}, exited ${j.exited}, failed ${j.failed}, converted ${j.converted}`,
          );
          for (const [id, n] of Object.entries(s.nodes)) console.log(nodeLine(id, n));
        });
      },
    );
}
