/**
 * `fanfare template …`: flow templates shared between the brands of an organization.
 *   export <flow> --brand <slug> [--param <path>=<name> …] [--out f]   a brand's flow as a template
 *   import <file> --org <name> [--description d]                      into the organization's library
 *   list --org <name> [--json]                                        the library
 *   use <template> --brand <slug> [--param <name>=<value> …] [--publish]  a brand flow from a template
 *   status <flow> --brand <slug>   /   update <flow> --brand <slug>     "update available", and updating
 *   starters --org <name> [--lang zh-CN|en]                           the shipped starter templates
 * A template file is a flow document with parameters: `fanfare flow validate` checks it.
 * Bad input stores nothing and exits 1 with a code.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Issue } from '../../engine/index';
import { createServices, OPERATOR } from '../../services';
import { CliError, withDatabase } from '../context';
import { collectParam, formatIssues, readJson } from './flow-io';
import { starterTemplates, type StarterLang } from '../../services/flow-templates/starters';

function refuse(what: string, issues: Issue[], code = 'E_TEMPLATE_INVALID'): never {
  if (issues.length) console.error(formatIssues(what, issues, 'en'));
  throw new CliError(code, `${what} has errors: nothing was stored`);
}

export function register(program: Command): void {
  const template = program
    .command('template')
    .description("flow templates shared by an organization's brands: export, import, list, use");

  template
    .command('export <flow>')
    .description(
      "print a brand's flow (id or name) as a template: brand resources become parameters",
    )
    .requiredOption('--brand <slug>', 'the brand')
    .option(
      '--param <path=name>',
      'the value at <path> (step id then field, e.g. coupon.pool, scan.scenes.0, push.message.text) becomes the parameter <name> (repeatable)',
      collectParam,
      {},
    )
    .option('--draft', 'the working draft instead of the live version')
    .option('--out <file>', 'write to a file instead of stdout')
    .action(
      async (
        flow: string,
        opts: { brand: string; param: Record<string, string>; draft?: boolean; out?: string },
      ) => {
        await withDatabase(async ({ db }) => {
          const services = createServices({ db });
          const result = await services.flowTemplates.exportFromFlow(OPERATOR, {
            brandSlug: opts.brand,
            flow,
            choices: Object.entries(opts.param).map(([path, name]) => ({ path, name })),
            draft: opts.draft ?? false,
          });
          if (!result.ok) refuse(`flow "${flow}"`, result.issues);
          const text = `${JSON.stringify(result.doc, null, 2)}\n`;
          if (opts.out) {
            try {
              writeFileSync(opts.out, text);
            } catch (error) {
              const reason = (error as NodeJS.ErrnoException).code ?? 'unknown error';
              throw new CliError('E_FILE_UNWRITABLE', `cannot write ${opts.out} (${reason})`);
            }
            const names = (result.doc.parameters ?? []).map((p) => `${p.name} (${p.kind})`);
            console.error(`template written to ${opts.out}; parameters: ${names.join(', ')}`);
          } else process.stdout.write(text);
          if (result.issues.length) console.error(formatIssues(flow, result.issues, 'en'));
        });
      },
    );

  template
    .command('import <file>')
    .description(
      "add a template to the organization's library (a template of the same name gets a new version)",
    )
    .requiredOption('--org <name>', 'the organization (slug or name)')
    .option('--description <text>', 'what the template is for (default: the document description)')
    .option('--name <name>', 'the template name (default: the document name)')
    .action(async (file: string, opts: { org: string; description?: string; name?: string }) => {
      const document = readJson(file, 'template');
      await withDatabase(async ({ db }) => {
        const services = createServices({ db });
        const outcome = await services.flowTemplates.publish(OPERATOR, {
          organization: opts.org,
          document,
          ...(opts.description !== undefined ? { description: opts.description } : {}),
          ...(opts.name !== undefined ? { name: opts.name } : {}),
        });
        if (!outcome.ok) refuse(file, outcome.issues);
        console.log(
          outcome.unchanged
            ? `template "${outcome.name}" unchanged: version ${outcome.version} is the same document`
            : `template "${outcome.name}" version ${outcome.version} imported into ${opts.org}`,
        );
        if (outcome.issues.length) console.error(formatIssues(file, outcome.issues, 'en'));
      });
    });

  template
    .command('list')
    .description("the organization's templates: name, latest version, parameters, brands using it")
    .requiredOption('--org <name>', 'the organization (slug or name)')
    .option('--json', 'print JSON')
    .option('--search <text>', 'only templates whose name or description contains it')
    .action(async (opts: { org: string; json?: boolean; search?: string }) => {
      await withDatabase(async ({ db }) => {
        const services = createServices({ db });
        const list = await services.flowTemplates.list(OPERATOR, opts.org, {
          ...(opts.search ? { search: opts.search } : {}),
        });
        if (opts.json) {
          console.log(JSON.stringify(list, null, 2));
          return;
        }
        if (list.length === 0) console.error(`${opts.org} has no templates yet`);
        for (const t of list) {
          const params = t.parameters.map((p) => `${p.name}:${p.kind}`).join(', ');
          const used = t.usedBy.map((u) => `${u.brandSlug}/${u.flowName}@v${u.version}`);
          console.log(
            [t.name, `v${t.latestVersion}`, params || '—', used.join(', ') || 'unused'].join('\t'),
          );
        }
      });
    });

  template
    .command('use <template>')
    .description("make a brand flow from a template of the brand's organization")
    .requiredOption('--brand <slug>', 'the brand')
    .option(
      '--param <name=value>',
      "bind a parameter to the brand's value (repeatable)",
      collectParam,
      {},
    )
    .option('--name <name>', 'name of the flow (default: the template document name)')
    .option('--publish', 'publish it as a live version')
    .action(
      async (
        ref: string,
        opts: { brand: string; param: Record<string, string>; name?: string; publish?: boolean },
      ) => {
        await withDatabase(async ({ db }, env) => {
          const services = createServices({ db, webhookAllowList: env.WEBHOOK_ALLOW_HOSTS });
          const outcome = await services.flowTemplates.use(OPERATOR, {
            brandSlug: opts.brand,
            template: ref,
            bindings: opts.param,
            ...(opts.name ? { name: opts.name } : {}),
            publish: opts.publish ?? false,
          });
          if (!outcome.ok) refuse(`template "${ref}" for ${opts.brand}`, outcome.issues);
          console.log(
            `flow ${outcome.flowId} made in ${opts.brand} from "${ref}" version ${outcome.templateVersion}` +
              (outcome.published
                ? `; published as version ${outcome.published.version}`
                : ' as a draft'),
          );
          if (outcome.issues.length) console.error(formatIssues(ref, outcome.issues, 'en'));
        });
      },
    );

  template
    .command('starters')
    .description("add the starter templates shipped with Fanfare to the organization's library")
    .requiredOption('--org <name>', 'the organization (slug or name)')
    .option('--lang <lang>', 'only the starters in zh-CN or en (default: both)')
    .action(async (opts: { org: string; lang?: string }) => {
      if (opts.lang !== undefined && opts.lang !== 'zh-CN' && opts.lang !== 'en')
        throw new CliError('E_USAGE', `--lang is zh-CN or en (got "${opts.lang}")`, 2);
      await withDatabase(async ({ db }) => {
        const services = createServices({ db });
        for (const starter of starterTemplates(opts.lang as StarterLang | undefined)) {
          const outcome = await services.flowTemplates.publish(OPERATOR, {
            organization: opts.org,
            document: starter.document,
          });
          if (!outcome.ok) refuse(starter.file, outcome.issues);
          console.log(
            `${outcome.name}: version ${outcome.version}${outcome.unchanged ? ' (unchanged)' : ''}`,
          );
        }
      });
    });

  template
    .command('status <flow>')
    .description('whether a flow made from a template has an update, and what changed')
    .requiredOption('--brand <slug>', 'the brand')
    .option('--json', 'print JSON')
    .action(async (flow: string, opts: { brand: string; json?: boolean }) => {
      await withDatabase(async ({ db }) => {
        const services = createServices({ db });
        const status = await services.flowTemplates.status(OPERATOR, opts.brand, flow);
        if (opts.json) {
          console.log(JSON.stringify(status, null, 2));
          return;
        }
        if (!status) {
          console.log(`"${flow}" was not made from a template`);
          return;
        }
        console.log(
          status.updateAvailable
            ? `update available: "${status.templateName}" version ${status.version} → ${status.latestVersion}`
            : `up to date: "${status.templateName}" version ${status.version}`,
        );
        for (const [node, changes] of Object.entries(status.diff?.stepChanges ?? {}))
          for (const c of changes)
            console.log(`  ${node}: ${c.label.en}: ${c.before.en} → ${c.after.en}`);
        for (const id of status.diff?.added ?? []) console.log(`  ${id}: added`);
        for (const id of status.diff?.removed ?? []) console.log(`  ${id}: removed`);
      });
    });

  template
    .command('update <flow>')
    .description("re-bind the template's latest version with the flow's bindings into its draft")
    .requiredOption('--brand <slug>', 'the brand')
    .action(async (flow: string, opts: { brand: string }) => {
      await withDatabase(async ({ db }) => {
        const services = createServices({ db });
        const outcome = await services.flowTemplates.update(OPERATOR, opts.brand, flow);
        if (!outcome.ok) refuse(`the update of "${flow}"`, outcome.issues);
        console.log(
          outcome.unchanged
            ? `"${flow}" is up to date (template version ${outcome.version})`
            : `"${flow}" updated to template version ${outcome.version} in its draft; publish it to make it live`,
        );
      });
    });
}
