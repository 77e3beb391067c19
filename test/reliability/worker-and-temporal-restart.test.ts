/**
 * Injected: the worker is SIGKILLed while a journey waits on a durable timer, then the
 * Temporal dev server is stopped and restarted on its database file.
 * Asserted: the journey still completes, and its activity wrote its row exactly once.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { connect, type DbHandle } from '../../db/client';
import { brands, events } from '../../db/schema';
import { helloJourney } from '../../workflows/workflows';
import {
  findTemporalCli,
  freePort,
  startDevServer,
  type DevServer,
} from '../../workflows/temporal-cli';
import { spawnWorker, type WorkerProcess } from '../support/worker-process';

const dataDir = mkdtempSync(join(tmpdir(), 'fanfare-reliability-'));
const dbFile = join(dataDir, 'temporal.db');
const taskQueue = `reliability-${randomUUID()}`;
let port: number;
let temporal: DevServer;
let handle: DbHandle;
let brandId: string;

const workers: WorkerProcess[] = [];
const startWorkerProcess = async () => {
  const worker = await spawnWorker({
    databaseUrl: inject('databaseUrl'),
    workflowBundlePath: inject('workflowBundlePath'),
    temporalAddress: `127.0.0.1:${port}`,
    taskQueue,
  });
  workers.push(worker);
  return worker;
};

async function connectClient(): Promise<Client> {
  return new Client({ connection: await Connection.connect({ address: `127.0.0.1:${port}` }) });
}

beforeAll(async () => {
  port = await freePort();
  temporal = await startDevServer({
    cli: findTemporalCli(process.env.TEMPORAL_CLI_PATH),
    port,
    dbFile,
  });
  handle = connect(inject('databaseUrl'), { max: 2 });
  const [brand] = await handle.db
    .insert(brands)
    .values({
      slug: `rel-${randomUUID().slice(0, 8)}`,
      name: 'Reliability',
      appId: 'wx0000000000000002',
      appSecretEnc: 'unused',
      callbackTokenEnc: 'unused',
    })
    .returning({ id: brands.id });
  brandId = brand!.id;
});

afterAll(async () => {
  for (const w of workers) await w.kill();
  await temporal?.stop();
  await handle?.close();
});

it('finishes a journey once after the worker is SIGKILLed and Temporal restarts', async () => {
  const worker = await startWorkerProcess();
  let client = await connectClient();
  const workflowId = `hello-restart-${randomUUID()}`;
  const started = await client.workflow.start(helloJourney, {
    taskQueue,
    workflowId,
    args: [{ brandId, greeting: 'survives', wait: '4s' }],
  });

  // Kill the worker once the journey sits on its durable timer.
  await expect
    .poll(
      async () => {
        const history = await started.fetchHistory();
        return history.events?.some((e) => e.timerStartedEventAttributes) ?? false;
      },
      { timeout: 30_000, interval: 200 },
    )
    .toBe(true);
  await worker.kill();
  await client.connection.close();

  // Restart Temporal on the same database file.
  await temporal.stop();
  temporal = await startDevServer({
    cli: findTemporalCli(process.env.TEMPORAL_CLI_PATH),
    port,
    dbFile,
  });
  client = await connectClient();
  await startWorkerProcess();

  const result = await client.workflow.getHandle(workflowId).result();
  await client.connection.close();
  const rows = await handle.db
    .select()
    .from(events)
    .where(and(eq(events.brandId, brandId), eq(events.dedupeKey, `hello:${workflowId}`)));
  expect(rows).toHaveLength(1);
  expect(String(rows[0]!.id)).toBe((result as { eventId: string }).eventId);
});
