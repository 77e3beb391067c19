import type { Command } from 'commander';
import { createApiKey } from '../../db/api-keys';
import { brandBySlug, withDatabase } from '../context';

export function register(program: Command): void {
  const apikey = program.command('apikey').description('API keys for the events API');
  apikey
    .command('create')
    .description('create a key for POST /api/v1/brands/<slug>/events (shown once)')
    .requiredOption('--brand <slug>', 'the brand')
    .option('--name <name>', 'what the key is for', 'default')
    .action(async (options: { brand: string; name: string }) => {
      await withDatabase(async ({ db }) => {
        const brand = await brandBySlug(db, options.brand);
        const { key } = await createApiKey(db, brand.id, options.name);
        console.log(key);
        console.error(
          `API key "${options.name}" created for ${brand.slug}; it is shown only this once.`,
        );
      });
    });
}
