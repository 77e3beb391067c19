/**
 * `fanfare followers import --brand <slug> [--json]`: imports the account's existing WeChat
 * followers (workflows/followers-import.ts) through the running worker, printing progress.
 *
 * `fanfare follower show <openid> --brand <slug> [--lang en|zh-CN] [--limit n] [--json]`: a
 * follower's profile, tags, open quota and timeline in plain language, as the follower API
 * answers them (services/analytics/timeline.ts).
 */
import type { Command } from 'commander';
import type { Lang } from '../../engine/index';
import { createFollowerTimeline } from '../../services/analytics/timeline';
import {
  FollowersImportError,
  runFollowersImport,
  type FollowerImportRow,
} from '../../workflows/followers-import-run';
import { connectClient } from '../../workflows/connection';
import { CliError, brandBySlug, withDatabase } from '../context';
import { readDevStack } from '../dev-stack';

export function register(program: Command): void {
  const follower = program.command('follower').description("a brand's followers");
  follower
    .command('show <openid>')
    .description('profile, tags, open quota and timeline (newest first) of one follower')
    .requiredOption('--brand <slug>', 'the brand')
    .option('--lang <lang>', 'language of the timeline: en or zh-CN', 'en')
    .option('--limit <n>', 'timeline entries (1–500)', '100')
    .option('--json', 'print the follower API answer as JSON')
    .action(
      async (
        openid: string,
        opts: { brand: string; lang: string; limit: string; json?: boolean },
      ) => {
        if (opts.lang !== 'en' && opts.lang !== 'zh-CN')
          throw new CliError('E_USAGE', `--lang must be en or zh-CN (got "${opts.lang}")`, 2);
        const lang: Lang = opts.lang;
        await withDatabase(async ({ db }) => {
          const brand = await brandBySlug(db, opts.brand);
          const result = await createFollowerTimeline({ db }).read(brand.id, openid, {
            limit: opts.limit,
          });
          if (!result.ok) throw new CliError(result.code, result.message);
          const f = result.follower;
          if (opts.json) {
            console.log(JSON.stringify(f));
            return;
          }
          const p = f.profile;
          console.log(
            `${f.openid} (${brand.slug}): ${p.subscribed ? 'following' : 'not following'}${p.qrScene ? `, came by QR "${String(p.qrScene)}"` : ''}`,
          );
          console.log(`tags: ${f.tags.length ? f.tags.join(', ') : '—'}`);
          console.log(`quota: ${f.quota.text[lang]}`);
          for (const e of f.timeline) console.log(`${e.at}  ${e.text[lang]}`);
        });
      },
    );

  const many = program.command('followers').description("a brand's followers, all at once");
  many
    .command('import')
    .description(
      "import the WeChat account's existing followers (runs in the worker; safe to repeat: updates, never duplicates)",
    )
    .requiredOption('--brand <slug>', 'the brand')
    .option('--json', 'print the final counts as JSON (progress goes to stderr)')
    .action(async (opts: { brand: string; json?: boolean }) => {
      await withDatabase(async ({ db }, env) => {
        const brand = await brandBySlug(db, opts.brand);
        const address = env.TEMPORAL_ADDRESS ?? readDevStack(env.DATA_DIR)?.temporalAddress;
        if (!address)
          throw new CliError(
            'E_NO_TEMPORAL',
            'no Temporal to run the import on: start `npm run dev`, or set TEMPORAL_ADDRESS (with a `fanfare worker` running)',
          );
        const temporal = await connectClient({ ...env, TEMPORAL_ADDRESS: address }).catch(
          (error: Error) => {
            throw new CliError(
              'E_TEMPORAL_UNAVAILABLE',
              `Temporal at ${address} is unreachable (${error.message}); nothing was imported`,
            );
          },
        );
        const say = (line: string) => (opts.json ? console.error(line) : console.log(line));
        const line = (r: FollowerImportRow) =>
          `${brand.slug}: ${r.fetched}${r.total != null ? ` of ${r.total}` : ''} followers read, ${r.pages} page(s) done — ${r.created} new, ${r.updated} updated`;
        try {
          const outcome = await runFollowersImport(
            { db, temporal, taskQueue: env.TEMPORAL_TASK_QUEUE },
            brand.id,
            {
              onStart: ({ joined }) =>
                say(
                  joined
                    ? `${brand.slug}: an import is already running; following its progress`
                    : `${brand.slug}: import started (a worker must be running: npm run dev or fanfare worker)`,
                ),
              onProgress: (r) => {
                if (r.status === 'running') say(line(r));
              },
            },
          );
          const r = outcome.row;
          if (opts.json) {
            console.log(
              JSON.stringify({
                brand: brand.slug,
                status: r.status,
                total: r.total,
                pages: r.pages,
                fetched: r.fetched,
                created: r.created,
                updated: r.updated,
                startedAt: r.startedAt,
                finishedAt: r.finishedAt,
              }),
            );
          } else {
            console.log(
              `${brand.slug}: import done — ${r.fetched} followers read in ${r.pages} page(s): ${r.created} new, ${r.updated} updated`,
            );
          }
        } catch (error) {
          if (error instanceof FollowersImportError)
            throw new CliError(
              error.code.startsWith('E_') || error.code.startsWith('WECHAT_')
                ? error.code
                : 'E_IMPORT_FAILED',
              `the import failed: ${error.message}. Run it again to resume where it stopped.`,
            );
          throw error;
        } finally {
          await temporal.connection.close();
        }
      });
    });
}
