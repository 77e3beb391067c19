import type { Command } from 'commander';
import { runMigrations } from '../../db/migrate';
import { cliEnv } from '../env';
import { resolveDatabase } from '../../db/local';

export function register(program: Command): void {
  const db = program.command('db').description('database maintenance');
  db.command('migrate')
    .description('apply the committed migrations (idempotent)')
    .action(async () => {
      const env = cliEnv();
      const resolved = await resolveDatabase({
        databaseUrl: env.DATABASE_URL,
        dataDir: env.DATA_DIR,
        port: env.EMBEDDED_PG_PORT,
      });
      try {
        await runMigrations(resolved.url);
        console.log(
          `migrations applied (${resolved.source === 'env' ? 'DATABASE_URL' : 'embedded PostgreSQL'})`,
        );
      } finally {
        await resolved.stop();
      }
    });
}
