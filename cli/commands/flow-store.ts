/**
 * `fanfare flow import <file> --brand <slug> [--publish] [--param k=v …] [--name n]` and
 * `fanfare flow export <flow> --brand <slug> [--version n] [--out file]`: flow documents in
 * and out of a brand. Nothing is stored when the document has errors.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { and, eq, sql } from 'drizzle-orm';
import {
  bindTemplate,
  findParams,
  FlowDraft,
  hasErrors,
  validate,
  type Issue,
} from '../../engine/index';
import { flowVersions, flows } from '../../db/schema';
import { createServices, OPERATOR } from '../../services';
import { CliError, brandBySlug, flowByRef, withDatabase } from '../context';
import { collectParam, formatIssues, readJson } from './flow-io';

function fail(file: string, issues: Issue[]): never {
  console.error(formatIssues(file, issues, 'en'));
  throw new CliError(
    'E_FLOW_INVALID',
    `${file} was not imported: it has errors (nothing was stored)`,
  );
}

export function registerStore(flow: Command): void {
  flow
    .command('import <file>')
    .description('store a flow document (or bind a template) in a brand, optionally publishing it')
    .requiredOption('--brand <slug>', 'the brand')
    .option('--publish', 'publish it as a new live version')
    .option('--param <name=value>', 'bind a template parameter (repeatable)', collectParam, {})
    .option('--name <name>', 'name of the flow (default: the document name)')
    .action(
      async (
        file: string,
        opts: { brand: string; publish?: boolean; param: Record<string, string>; name?: string },
      ) => {
        let doc = readJson(file, 'flow');
        await withDatabase(async ({ db }, env) => {
          const brand = await brandBySlug(db, opts.brand);
          const webhookAllowList = env.WEBHOOK_ALLOW_HOSTS;
          const services = createServices({ db, webhookAllowList });
          const context = await services.flows.brandContext(brand.id);
          if (Object.keys(opts.param).length > 0 || findParams(doc).length > 0) {
            const bound = bindTemplate(doc, opts.param, context);
            if (!bound.ok) fail(file, bound.issues);
            doc = bound.doc;
          }
          const issues = validate(doc, opts.publish ? context : undefined, { webhookAllowList });
          if (hasErrors(issues)) fail(file, issues);
          // Stored as loaded: shapes that mean the same as ours (e.g. WeChat's template data)
          // are normalised, so the editor shows what will run.
          doc = FlowDraft.parse(doc);
          const name = opts.name ?? ((doc as { name?: string }).name || file);
          const [row] = await db
            .insert(flows)
            .values({ brandId: brand.id, name, draft: doc as Record<string, unknown> })
            .returning({ id: flows.id });
          console.log(`flow ${row!.id} imported into ${brand.slug} as a draft`);
          if (opts.publish) {
            // Stored and published, or neither: the draft row goes when publishing does not.
            const published = await services.flows
              .publish(OPERATOR, {
                flowId: row!.id,
                brandId: brand.id,
                draft: doc,
                timezone: brand.timezone,
              })
              .catch(async (error: unknown) => {
                await db.delete(flows).where(eq(flows.id, row!.id));
                throw error;
              });
            if (!published.ok) {
              await db.delete(flows).where(eq(flows.id, row!.id));
              fail(file, published.reason === 'invalid' ? published.issues : []);
            }
            console.log(
              `published as version ${published.version} (${published.contentHash.slice(0, 12)})`,
            );
          }
          if (issues.length) console.error(formatIssues(file, issues, 'en'));
        });
      },
    );

  flow
    .command('export <flow>')
    .description('print a flow document: the live version, a given version, or the draft')
    .requiredOption('--brand <slug>', 'the brand')
    .option('--version <n>', 'a published version number')
    .option('--draft', 'the working draft instead of the live version')
    .option('--out <file>', 'write to a file instead of stdout')
    .action(
      async (
        ref: string,
        opts: { brand: string; version?: string; draft?: boolean; out?: string },
      ) => {
        await withDatabase(async ({ db }) => {
          const brand = await brandBySlug(db, opts.brand);
          const flow = await flowByRef(db, brand, ref);
          let document: unknown = flow.draft;
          if (!opts.draft) {
            const [version] = await db
              .select({ document: flowVersions.document })
              .from(flowVersions)
              .where(
                and(
                  eq(flowVersions.flowId, flow.id),
                  opts.version
                    ? eq(flowVersions.version, Number(opts.version))
                    : sql`${flowVersions.id} = ${flow.liveVersionId}`,
                ),
              );
            if (!version) {
              throw new CliError(
                'E_NO_VERSION',
                opts.version
                  ? `flow "${flow.name}" has no version ${opts.version}`
                  : `flow "${flow.name}" is not published (use --draft)`,
              );
            }
            document = version.document;
          }
          const text = `${JSON.stringify(document, null, 2)}\n`;
          if (opts.out) {
            try {
              writeFileSync(opts.out, text);
            } catch (error) {
              const reason = (error as NodeJS.ErrnoException).code ?? 'unknown error';
              throw new CliError('E_FILE_UNWRITABLE', `cannot write ${opts.out} (${reason})`);
            }
          } else process.stdout.write(text);
        });
      },
    );
}
