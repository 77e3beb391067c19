/**
 * Injected: the worker process (with its dispatcher) is SIGKILLed while journeys wait between
 * two pushes, then the Temporal dev server is stopped and restarted on its database file.
 * Asserted: every journey completes after both come back, and each message is sent exactly
 * once (counted by the WeChat sandbox).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import {
  findTemporalCli,
  freePort,
  startDevServer,
  type DevServer,
} from '../../workflows/temporal-cli';
import { journeyRows, startRuntime, type Runtime } from '../support/runtime';
import { spawnWorker, type WorkerProcess } from '../support/worker-process';

const FOLLOWERS = ['o_a', 'o_b', 'o_c', 'o_d', 'o_e'];
const dbFile = join(mkdtempSync(join(tmpdir(), 'fanfare-kill-')), 'temporal.db');
let port: number;
let server: DevServer;
let rt: Runtime;

const startServer = async () => {
  server = await startDevServer({
    cli: findTemporalCli(process.env.TEMPORAL_CLI_PATH),
    port,
    dbFile,
  });
};

const workers: WorkerProcess[] = [];
const startWorker = async () => {
  const worker = await spawnWorker({
    databaseUrl: inject('databaseUrl'),
    workflowBundlePath: inject('workflowBundlePath'),
    temporalAddress: `127.0.0.1:${port}`,
    secretKeyHex: rt.secretKeyHex,
  });
  workers.push(worker);
  return worker;
};

beforeAll(async () => {
  port = await freePort();
  await startServer();
  const address = `127.0.0.1:${port}`;
  rt = await startRuntime({
    temporal: {
      client: new Client({ connection: await Connection.connect({ address }) }),
      nativeConnection: await NativeConnection.connect({ address }),
    },
  });
});

afterAll(async () => {
  for (const w of workers) await w.kill();
  await rt?.close();
  await server?.stop();
});

it('completes every journey and sends each message once across a worker SIGKILL and a Temporal restart', async () => {
  const { flowId } = await rt.publish({
    format: 'fanfare.flow/v1',
    name: 'two pushes around a wait',
    nodes: [
      { id: 'follow', kind: 'trigger.follow' },
      {
        id: 'first',
        kind: 'action.push',
        config: { channel: 'customer_service', message: { type: 'text', text: 'first' } },
      },
      { id: 'wait', kind: 'wait.delay', config: { duration: '1m' } },
      {
        id: 'second',
        kind: 'action.push',
        config: { channel: 'customer_service', message: { type: 'text', text: 'second' } },
      },
      { id: 'end', kind: 'flow.end' },
    ],
    edges: [
      { id: 'a', from: 'follow', to: 'first' },
      { id: 'b', from: 'first', to: 'wait' },
      { id: 'c', from: 'wait', to: 'second' },
      { id: 'd', from: 'second', to: 'end' },
    ],
  });
  const worker = await startWorker();
  for (const openid of FOLLOWERS) {
    await rt.control.follow(rt.brand.appId, openid);
    // A message from the fan opens the 48-hour customer-service window (a follow alone
    // allows only 3 messages within a minute), so the push after the wait may go out.
    await rt.control.text(rt.brand.appId, openid, 'hi');
  }

  // Every journey sits on its timer: kill the worker, then restart Temporal.
  await expect
    .poll(
      async () => (await journeyRows(rt, flowId)).filter((j) => j.currentStep === 'wait').length,
      { timeout: 60_000, interval: 200 },
    )
    .toBe(FOLLOWERS.length);
  await worker.kill();
  await server.stop();
  await startServer();
  await startWorker();

  await expect
    .poll(async () => (await journeyRows(rt, flowId)).map((j) => j.status), {
      timeout: 120_000,
      interval: 500,
    })
    .toEqual(FOLLOWERS.map(() => 'completed'));
  for (const openid of FOLLOWERS) {
    const texts = (await rt.control.sentMessages(rt.brand.appId, openid)).map(
      (m) => (m.body.text as { content: string }).content,
    );
    expect(texts, openid).toEqual(['first', 'second']);
  }
});
