/**
 * `fanfare follower show <openid> --brand <slug> [--lang en|zh-CN] [--limit n] [--json]`: a
 * follower's profile, tags, open quota and timeline in plain language, as the follower API
 * answers them (services/analytics/timeline.ts).
 */
import type { Command } from 'commander';
import type { Lang } from '../../engine/index';
import { createFollowerTimeline } from '../../services/analytics/timeline';
import { CliError, brandBySlug, withDatabase } from '../context';

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
}
