/**
 * Integration-test world, built once per run: a fresh, migrated database on a real
 * PostgreSQL, a real Temporal dev server (in memory), and the workflow bundle.
 * Tests read them with `inject('databaseUrl' | 'temporalAddress' | 'workflowBundlePath')`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../db/local';
import { buildWorkflowBundle } from '../../workflows/bundle';
import { createDatabase } from '../support/databases';
import { findTemporalCli, freePort, startDevServer } from '../../workflows/temporal-cli';

const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function reachable(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

async function testDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  let adminUrl = ADMIN_URL;
  let stopEmbedded = async () => {};
  if (!(await reachable(adminUrl))) {
    // No server on this machine: bring up the embedded one, as `npm run dev` would.
    const embedded = await startEmbeddedPostgres({ dataDir: '.data/test', port: await freePort() });
    adminUrl = embedded.url;
    stopEmbedded = embedded.stop;
  }
  const db = await createDatabase(adminUrl, `fanfare_test_${Date.now()}_${process.pid}`);
  return {
    url: db.url,
    async drop() {
      await db.drop();
      await stopEmbedded();
    },
  };
}

export default async function setup(project: TestProject) {
  const bundleDir = mkdtempSync(join(tmpdir(), 'fanfare-bundle-'));
  const [db, temporal, bundle] = await Promise.all([
    testDatabase(),
    freePort().then((port) =>
      startDevServer({ cli: findTemporalCli(process.env.TEMPORAL_CLI_PATH), port }),
    ),
    buildWorkflowBundle(),
  ]);
  const workflowBundlePath = join(bundleDir, 'workflow-bundle.js');
  writeFileSync(workflowBundlePath, bundle.code);

  project.provide('databaseUrl', db.url);
  project.provide('temporalAddress', temporal.address);
  project.provide('workflowBundlePath', workflowBundlePath);

  return async () => {
    await temporal.stop();
    await db.drop();
  };
}
