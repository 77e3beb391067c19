/**
 * `fanfare flow validate <file> [--json] [--lang zh-CN] [--context brand.json]` and
 * `fanfare flow compile <file>`: the engine's checks and plan, from the command line
 * (`flow simulate`: ./flow-simulate.ts).
 * Exit 0: valid (warnings allowed); 1: the flow has errors or the file cannot be read;
 * 2: usage.
 */
import { CommanderError, type Command } from 'commander';
import {
  compile,
  FlowInvalidError,
  validate,
  validateTemplate,
  type BrandContext,
  type Issue,
  type Lang,
} from '../../engine/index';
import { CliError } from '../context';
import { webhookAllowList } from '../env';
import { collectParam, formatIssues, readJson } from './flow-io';
import { registerDryRun, registerSimulate } from './flow-simulate';
import { registerStats } from './flow-stats';
import { registerStore } from './flow-store';

const USAGE_ERRORS = new Set([
  'commander.missingArgument',
  'commander.excessArguments',
  'commander.unknownOption',
  'commander.unknownCommand',
  'commander.optionMissingArgument',
  'commander.missingMandatoryOptionValue',
  'commander.invalidArgument',
]);

export function register(program: Command): void {
  const flow = program
    .command('flow')
    .description('flow documents (fanfare.flow/v1): validate and compile')
    // Usage mistakes exit 2, as everywhere in Unix; subcommands inherit this.
    .exitOverride((err) => {
      throw USAGE_ERRORS.has(err.code) ? new CommanderError(2, err.code, err.message) : err;
    });

  flow
    .command('validate <file>')
    .description('check a flow document and list its issues (exit 1 when it has errors)')
    .option('--json', 'print one JSON line: {"ok", "issues"}')
    .option('--lang <lang>', 'language of the messages: en or zh-CN', 'en')
    .option(
      '--context <file>',
      'brand context JSON: tags, couponPools, couponPoolsWithoutExpiry, menus, templates, messageTemplates, accountTagCount',
    )
    .action((file: string, opts: { json?: boolean; lang: string; context?: string }) => {
      const lang = parseLang(opts.lang);
      const doc = readJson(file, 'flow');
      const context = opts.context ? readContext(opts.context) : undefined;
      const options = { webhookAllowList: webhookAllowList() };
      // A document that declares parameters is a template: checked as one as well (every
      // brand resource a parameter, defaults that fit their kind, no unused parameter).
      const issues = isTemplate(doc)
        ? validateTemplate(doc, context, options)
        : validate(doc, context, options);
      const ok = !issues.some((i) => i.severity === 'error');
      if (opts.json)
        console.log(JSON.stringify({ ok, issues: issues.map((i) => jsonIssue(i, lang)) }));
      else console.log(formatIssues(file, issues, lang));
      if (!ok) process.exitCode = 1;
    });

  flow
    .command('compile <file>')
    .description('print the execution plan of a valid flow as JSON')
    .option('--timezone <zone>', "the brand's time zone, when the flow sets none", 'Asia/Shanghai')
    .option('--param <name=value>', 'bind a declared parameter (repeatable)', collectParam, {})
    .option('--context <file>', 'also check against a brand context JSON')
    .option('--lang <lang>', 'language of the messages: en or zh-CN', 'en')
    .action(
      (
        file: string,
        opts: { timezone: string; param: Record<string, string>; context?: string; lang: string },
      ) => {
        const lang = parseLang(opts.lang);
        const doc = readJson(file, 'flow');
        try {
          const plan = compile(doc, {
            timezone: opts.timezone,
            params: opts.param,
            webhookAllowList: webhookAllowList(),
            ...(opts.context ? { brand: readContext(opts.context) } : {}),
          });
          console.log(JSON.stringify(plan, null, 2));
        } catch (error) {
          if (!(error instanceof FlowInvalidError)) throw error;
          console.error(formatIssues(file, error.issues, lang));
          process.exitCode = 1;
        }
      },
    );

  registerStore(flow);
  registerStats(flow);
  registerSimulate(flow);
  registerDryRun(flow);
}

function parseLang(lang: string): Lang {
  if (lang === 'en' || lang === 'zh-CN') return lang;
  throw new CliError('E_USAGE', `--lang must be en or zh-CN (got "${lang}")`, 2);
}

/** `messageTemplates` of a brand context file: what publishing would load from the database. */
function templateList(v: unknown): boolean {
  const text = (x: unknown) => typeof x === 'string';
  return (
    Array.isArray(v) &&
    v.every(
      (t: Record<string, unknown> | null) =>
        typeof t === 'object' &&
        t !== null &&
        text(t.id) &&
        text(t.name) &&
        text(t.title) &&
        Array.isArray(t.keywords) &&
        t.keywords.every(
          (k: Record<string, unknown> | null) =>
            typeof k === 'object' && k !== null && text(k.key) && text(k.kind) && text(k.label),
        ),
    )
  );
}

function readContext(file: string): BrandContext {
  const ctx = readJson(file, 'brand context') as Partial<BrandContext> | null;
  const list = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
  if (
    !ctx ||
    typeof ctx !== 'object' ||
    !['tags', 'couponPools', 'menus', 'templates'].every((k) =>
      list((ctx as Record<string, unknown>)[k]),
    ) ||
    (ctx.couponPoolsWithoutExpiry !== undefined && !list(ctx.couponPoolsWithoutExpiry)) ||
    (ctx.messageTemplates !== undefined && !templateList(ctx.messageTemplates))
  ) {
    throw new CliError(
      'E_BAD_CONTEXT',
      `the brand context ${file} needs string lists "tags", "couponPools", "menus" and "templates" (and "couponPoolsWithoutExpiry", when given; "messageTemplates", when given, is a list of {id, name, title, keywords: [{key, kind, label}]})`,
    );
  }
  return ctx as BrandContext;
}

function jsonIssue(i: Issue, lang: Lang) {
  return {
    code: i.code,
    severity: i.severity,
    nodeId: i.nodeId ?? null,
    edgeId: i.edgeId ?? null,
    path: i.path ?? null,
    message: i.message[lang],
  };
}

/** A flow document that declares parameters. */
function isTemplate(doc: unknown): boolean {
  const params = (doc as { parameters?: unknown } | null)?.parameters;
  return Array.isArray(params) && params.length > 0;
}
