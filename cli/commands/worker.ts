import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { createLogger } from '../../config/logger';
import { resolveDatabase } from '../../db/local';
import { buildWorkflowBundle } from '../../workflows/bundle';
import { workerEnv } from '../../workflows/env';
import { startWorker } from '../../workflows/worker';

export function register(program: Command): void {
  const worker = program
    .command('worker')
    .description('run the Temporal worker (journeys, activities) until SIGTERM/SIGINT')
    .action(async () => {
      const env = workerEnv();
      const logger = createLogger('worker', env.LOG_LEVEL);
      const database = await resolveDatabase({
        databaseUrl: env.DATABASE_URL,
        dataDir: env.DATA_DIR,
        port: env.EMBEDDED_PG_PORT,
      });
      const running = await startWorker({ env, databaseUrl: database.url, logger });
      // Graceful stop: finish in-flight activities (up to WORKER_SHUTDOWN_GRACE), then exit.
      const stop = (signal: string) => {
        logger.info({ signal }, 'shutting down');
        running.shutdown();
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
      try {
        await running.done;
      } finally {
        await database.stop();
      }
    });

  worker
    .command('bundle')
    .description('prebuild the workflow bundle for production (set WORKFLOW_BUNDLE_PATH to it)')
    .option('--out <file>', 'where to write the bundle', 'build/workflow-bundle.js')
    .action(async (options: { out: string }) => {
      const bundle = await buildWorkflowBundle();
      mkdirSync(dirname(options.out), { recursive: true });
      writeFileSync(options.out, bundle.code);
      console.log(`workflow bundle written to ${options.out} (${bundle.code.length} bytes)`);
    });
}
