import type { Command } from 'commander';
import { secretKey } from '../../config/env';
import { SecretBox } from '../../services/secrets';
import { createServices, OPERATOR } from '../../services';
import { ServiceError } from '../../services/errors';
import { CliError, withDatabase } from '../context';

/** `fanfare wechat …`: reading the Official Account's own settings into Fanfare. */
export function register(program: Command): void {
  const wechat = program
    .command('wechat')
    .description("read the Official Account's settings from WeChat");
  wechat
    .command('sync')
    .description(
      "import the account's message templates (template/get_all_private_template): the brand's list becomes WeChat's",
    )
    .requiredOption('--brand <slug>', 'the brand')
    .option('--json', 'print the templates as JSON')
    .action(async (options: { brand: string; json?: boolean }) => {
      await withDatabase(async ({ db }, env) => {
        const services = createServices({
          db,
          box: new SecretBox(secretKey(env)),
          wechatApiBase: env.WECHAT_API_BASE,
        });
        let report: Awaited<ReturnType<typeof services.messageTemplates.sync>>;
        try {
          report = await services.messageTemplates.sync(OPERATOR, options.brand);
        } catch (error) {
          if (error instanceof ServiceError && error.code === 'brand_unknown')
            throw new CliError(
              'E_UNKNOWN_BRAND',
              `no brand with slug "${options.brand}" (see: fanfare brand list)`,
            );
          throw error;
        }
        if (options.json) {
          console.log(JSON.stringify(report.templates, null, 2));
        } else {
          for (const t of report.templates) {
            const keys = t.keywords.map((k) => (k.label ? `${k.key}(${k.label})` : k.key));
            console.log([t.templateId, t.title, keys.join(', ')].join('\t'));
          }
        }
        const titles = (list: { title: string }[]) =>
          list.length ? `: ${list.map((t) => t.title).join(', ')}` : '';
        console.error(
          `${report.brandSlug}: ${report.templates.length} message template(s) from WeChat; ` +
            `${report.added.length} added${titles(report.added)}, ` +
            `${report.removed.length} removed${titles(report.removed)}, ` +
            `${report.changed.length} changed${titles(report.changed)}`,
        );
      });
    });
}
