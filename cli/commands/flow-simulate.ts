/**
 * `fanfare flow simulate <file> --scenario <scenario.json> [--brand <slug>] [--json] [--lang]`:
 * walks a test follower through a flow on the simulator's virtual clock (engine/simulate) —
 * nothing reaches a fan, a database write or WeChat. With `--brand`, the flow is checked
 * against the brand's resources and simulated with its time zone, coupon expiry and
 * frequency cap. Exit 0: simulated; 1: the flow or the scenario is not valid (each problem
 * named); 2: usage.
 *
 * `--json` prints one line: {"trace": [{"at", "nodeId", "kind", "port", "outcome", "why":
 * {"en", "zh-CN"}}], "messages": [{"at", "nodeId", "channel", "message"}], "end": {"status",
 * "reason", "at"}} — times are ISO instants of the virtual clock.
 *
 * `fanfare flow dry-run <flow> --brand <slug> [--sample n] [--json] [--lang]`: the flow's draft
 * run on the simulator for a random sample of the brand's followers as stored (engine/simulate/
 * dry-run.ts) — how many would enter, reach each step and receive each message, and why not.
 */
import type { Command } from 'commander';
import {
  channelText,
  messageText,
  compile,
  FlowInvalidError,
  wallTime,
  type BrandContext,
  type Lang,
} from '../../engine/index';
import {
  parseScenario,
  ScenarioError,
  simulate,
  type SimBrand,
  type SimResult,
} from '../../engine/simulate';
import { loadBrandContext } from '../../services/flows/publish';
import { DRY_RUN_MAX, dryRunDocument, simulationBrand } from '../../services/flows/simulation';
import { NOT_ENTERED, type DryRunResult } from '../../engine/simulate';
import { reasonText } from '../../engine/outcomes';
import { CliError, brandBySlug, flowByRef, withDatabase } from '../context';
import { webhookAllowList } from '../env';
import { formatIssues, readJson } from './flow-io';

/** `2026-11-30 10:00` in the zone. */
function local(iso: string, timeZone: string): string {
  const w = wallTime(Date.parse(iso), timeZone);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${w.year}-${p(w.month)}-${p(w.day)} ${p(w.hour)}:${p(w.minute)}`;
}

export function printSimulation(result: SimResult, timeZone: string, lang: Lang): string {
  const lines: string[] = [];
  for (const s of result.trace) {
    const port = s.port ? `→ ${s.port}` : '';
    lines.push(
      `${local(s.at, timeZone)}  ${s.nodeId.padEnd(14)} ${s.outcome.padEnd(9)} ${port.padEnd(12)} ${s.why[lang]}`,
    );
  }
  lines.push('', lang === 'zh-CN' ? '消息：' : 'messages:');
  if (result.messages.length === 0) lines.push(lang === 'zh-CN' ? '  （无）' : '  (none)');
  for (const m of result.messages)
    lines.push(
      `  ${local(m.at, timeZone)}  ${m.nodeId.padEnd(14)} ${channelText(m.channel)[lang]}: ${messageText(m.message) ?? ''}`,
    );
  lines.push(
    '',
    `${lang === 'zh-CN' ? '结果' : 'end'}: ${result.end.status}${result.end.reason ? ` (${result.end.reason})` : ''} ${local(result.end.at, timeZone)} — ${result.end.why[lang]}`,
  );
  return lines.join('\n');
}

export function registerSimulate(flow: Command): void {
  flow
    .command('simulate <file>')
    .description(
      'walk a test follower through a flow on a virtual clock (nothing is sent or stored)',
    )
    .requiredOption('--scenario <file>', 'the scenario JSON: follower, start, events, until')
    .option('--brand <slug>', "check against the brand's resources and use its settings")
    .option('--json', 'print one JSON line: {"trace", "messages", "end"}')
    .option('--lang <lang>', 'language of the explanations: en or zh-CN', 'en')
    .action(
      async (
        file: string,
        opts: { scenario: string; brand?: string; json?: boolean; lang: string },
      ) => {
        if (opts.lang !== 'en' && opts.lang !== 'zh-CN')
          throw new CliError('E_USAGE', `--lang must be en or zh-CN (got "${opts.lang}")`, 2);
        const lang: Lang = opts.lang;
        const doc = readJson(file, 'flow');
        let scenario;
        try {
          scenario = parseScenario(readJson(opts.scenario, 'scenario'));
        } catch (error) {
          if (!(error instanceof ScenarioError)) throw error;
          throw new CliError(
            error.code,
            `the scenario ${opts.scenario} is not valid:\n${error.issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`,
          );
        }
        let brand: SimBrand = {};
        let context: BrandContext | undefined;
        if (opts.brand) {
          const slug = opts.brand;
          ({ brand, context } = await withDatabase(async ({ db }) => {
            const row = await brandBySlug(db, slug);
            return {
              brand: await simulationBrand(db, row.id),
              context: await loadBrandContext(db, row.id),
            };
          }));
        }
        let plan;
        try {
          plan = compile(doc, {
            webhookAllowList: webhookAllowList(),
            ...(brand.timezone ? { timezone: brand.timezone } : {}),
            ...(context ? { brand: context } : {}),
          });
        } catch (error) {
          if (!(error instanceof FlowInvalidError)) throw error;
          console.error(formatIssues(file, error.issues, lang));
          process.exitCode = 1;
          return;
        }
        const result = await simulate(plan, scenario, brand);
        if (opts.json) {
          console.log(
            JSON.stringify({
              trace: result.trace,
              messages: result.messages,
              end: result.end,
            }),
          );
          return;
        }
        console.log(printSimulation(result, brand.timezone ?? plan.settings.timezone, lang));
      },
    );
}

export function printDryRun(
  answer: { sampled: number; total: number; result: DryRunResult },
  lang: Lang,
): string {
  const { result } = answer;
  const zh = lang === 'zh-CN';
  const lines = [
    zh
      ? `抽样 ${answer.sampled} / ${answer.total} 位粉丝：${result.entered} 位会进入流程`
      : `sampled ${answer.sampled} of ${answer.total} followers: ${result.entered} would enter`,
  ];
  for (const [reason, n] of Object.entries(result.notEntered))
    lines.push(
      `  ${zh ? '未进入' : 'not entered'} ${n}: ${(NOT_ENTERED[reason] ?? reasonText(reason))[lang]}`,
    );
  for (const [id, node] of Object.entries(result.nodes)) {
    if (node.reached === 0) continue;
    const ports = Object.entries(node.ports)
      .map(([p, n]) => `${p}=${n}`)
      .join(' ');
    const m = node.messages;
    const skipped = Object.entries(m.skipped)
      .map(([r, n]) => `${r}=${n}`)
      .join(' ');
    const msgs =
      m.sent || m.deferred || skipped
        ? `  ${zh ? '发送' : 'sent'} ${m.sent}${m.deferred ? `, ${zh ? '群发' : 'mass'} ${m.deferred}` : ''}${skipped ? `, ${zh ? '未发' : 'skipped'} ${skipped}` : ''}`
        : '';
    lines.push(
      `  ${id.padEnd(16)} ${zh ? '到达' : 'reached'} ${node.reached}${node.waiting ? `, ${zh ? '等待中' : 'waiting'} ${node.waiting}` : ''}${ports ? `  ${ports}` : ''}${msgs}`,
    );
  }
  lines.push(
    `${zh ? '结束' : 'ends'}: ${Object.entries(result.ends)
      .map(([s, n]) => `${s}=${n}`)
      .join(' ')}`,
  );
  return lines.join('\n');
}

export function registerDryRun(flow: Command): void {
  flow
    .command('dry-run <flow>')
    .description(
      "run a flow's draft on the simulator for a sample of the brand's followers (nothing is sent or stored)",
    )
    .requiredOption('--brand <slug>', 'the brand')
    .option('--sample <n>', `how many followers, at random (at most ${DRY_RUN_MAX})`, '1000')
    .option('--json', 'print one JSON line: {sampled, total, result}')
    .option('--lang <lang>', 'language of the output: en or zh-CN', 'en')
    .action(
      async (
        ref: string,
        opts: { brand: string; sample: string; json?: boolean; lang: string },
      ) => {
        if (opts.lang !== 'en' && opts.lang !== 'zh-CN')
          throw new CliError('E_USAGE', `--lang must be en or zh-CN (got "${opts.lang}")`, 2);
        const lang: Lang = opts.lang;
        const sample = Number(opts.sample);
        if (!Number.isInteger(sample) || sample < 1 || sample > DRY_RUN_MAX)
          throw new CliError(
            'E_USAGE',
            `--sample must be a whole number from 1 to ${DRY_RUN_MAX}`,
            2,
          );
        await withDatabase(async ({ db }) => {
          const brand = await brandBySlug(db, opts.brand);
          const row = await flowByRef(db, brand, ref);
          const answer = await dryRunDocument(db, brand.id, row.draft, { sample });
          if (!answer.ok) {
            console.error(formatIssues(`${row.name} (draft)`, answer.issues, lang));
            process.exitCode = 1;
            return;
          }
          if (opts.json) console.log(JSON.stringify(answer));
          else console.log(printDryRun(answer, lang));
        });
      },
    );
}
