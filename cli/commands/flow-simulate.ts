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
 */
import type { Command } from 'commander';
import {
  channelText,
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
import { simulationBrand } from '../../services/flows/simulation';
import { CliError, brandBySlug, withDatabase } from '../context';
import { webhookAllowList } from '../env';
import { formatIssues, readJson } from './flow-io';

/** `2026-11-30 10:00` in the zone. */
function local(iso: string, timeZone: string): string {
  const w = wallTime(Date.parse(iso), timeZone);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${w.year}-${p(w.month)}-${p(w.day)} ${p(w.hour)}:${p(w.minute)}`;
}

function messageText(m: SimResult['messages'][number]['message']): string {
  switch (m.type) {
    case 'text':
      return m.text;
    case 'news':
      return m.articles.map((a) => a.title).join(' | ');
    case 'template':
      return `${m.templateId}: ${Object.entries(m.data)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(', ')}`;
    case 'image':
      return `[image ${m.mediaId}]`;
    case 'miniprogram':
      return `[mini program ${m.title}]`;
  }
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
      `  ${local(m.at, timeZone)}  ${m.nodeId.padEnd(14)} ${channelText(m.channel)[lang]}: ${messageText(m.message)}`,
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
