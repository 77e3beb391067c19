import type { Command } from 'commander';
import { createServices, OPERATOR } from '../../services';
import { ServiceError } from '../../services/errors';
import { CliError, withDatabase } from '../context';

/** The same use cases as the brand's API-keys page, as the operator. */
async function withApiKeys<T>(
  slug: string,
  fn: (apiKeys: ReturnType<typeof createServices>['apiKeys']) => Promise<T>,
): Promise<T> {
  return withDatabase(async ({ db }) => {
    try {
      return await fn(createServices({ db }).apiKeys);
    } catch (error) {
      if (error instanceof ServiceError && error.code === 'brand_unknown') {
        throw new CliError(
          'E_UNKNOWN_BRAND',
          `no brand with slug "${slug}" (see: fanfare brand list)`,
        );
      }
      throw error;
    }
  });
}

export function register(program: Command): void {
  const apikey = program.command('apikey').description('API keys for the events API');
  apikey
    .command('create')
    .description('create a key for POST /api/v1/brands/<slug>/events (shown once)')
    .requiredOption('--brand <slug>', 'the brand')
    .option('--name <name>', 'what the key is for', 'default')
    .action(async (options: { brand: string; name: string }) => {
      await withApiKeys(options.brand, async (apiKeys) => {
        const created = await apiKeys.create(OPERATOR, options.brand, { name: options.name });
        console.log(created.key);
        console.error(
          `API key "${created.name}" created for ${created.brandSlug}; it is shown only this once.`,
        );
      });
    });

  apikey
    .command('list')
    .description("a brand's keys: id, prefix, name, created, last used, revoked")
    .requiredOption('--brand <slug>', 'the brand')
    .action(async (options: { brand: string }) => {
      await withApiKeys(options.brand, async (apiKeys) => {
        const rows = await apiKeys.list(OPERATOR, options.brand);
        if (rows.length === 0) console.log('no API keys yet');
        const at = (d: Date | null) => (d ? d.toISOString() : '-');
        for (const r of rows) {
          console.log(
            [r.id, `${r.prefix}…`, r.name, at(r.createdAt), at(r.lastUsedAt), at(r.revokedAt)].join(
              '\t',
            ),
          );
        }
      });
    });

  apikey
    .command('revoke')
    .description('revoke a key (by the id `apikey list` shows); it stops working at once')
    .requiredOption('--brand <slug>', 'the brand')
    .requiredOption('--id <id>', 'the key id')
    .action(async (options: { brand: string; id: string }) => {
      await withApiKeys(options.brand, async (apiKeys) => {
        const revoked = await apiKeys.revoke(OPERATOR, options.brand, options.id);
        console.log(`API key "${revoked.name}" (${revoked.prefix}…) revoked`);
      });
    });
}
