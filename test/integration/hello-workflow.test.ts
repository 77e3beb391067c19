import { randomUUID } from 'node:crypto';
import { Client, Connection, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, type DbHandle } from '../../db/client';
import { brands, events } from '../../db/schema';
import { SecretBox } from '../../services/secrets';
import { createActivities } from '../../workflows/activities';
import { helloJourney } from '../../workflows/workflows';

describe('hello journey on the real Temporal dev server and Postgres', () => {
  let handle: DbHandle;
  let nativeConnection: NativeConnection;
  let client: Client;
  let brandId: string;
  const taskQueue = `test-hello-${randomUUID()}`;

  beforeAll(async () => {
    handle = connect(inject('databaseUrl'), { max: 4 });
    nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
    client = new Client({
      connection: await Connection.connect({ address: inject('temporalAddress') }),
    });
    const [brand] = await handle.db
      .insert(brands)
      .values({
        slug: `hello-${randomUUID().slice(0, 8)}`,
        name: 'Hello Coffee',
        appId: 'wx0000000000000001',
        appSecretEnc: 'unused-in-this-test',
        callbackTokenEnc: 'unused-in-this-test',
      })
      .returning({ id: brands.id });
    brandId = brand!.id;
  });

  afterAll(async () => {
    await client?.connection.close();
    await nativeConnection?.close();
    await handle?.close();
  });

  it('runs an activity that writes exactly one row, even when started twice', async () => {
    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      workflowBundle: { codePath: inject('workflowBundlePath') },
      activities: createActivities({ db: handle.db, box: new SecretBox('0'.repeat(64)) }),
    });
    const workflowId = `hello-${randomUUID()}`;
    const result = await worker.runUntil(async () => {
      const first = await client.workflow.execute(helloJourney, {
        taskQueue,
        workflowId,
        args: [{ brandId, greeting: '你好, Fanfare' }],
      });
      // A second start under the same id is refused while the first run is remembered.
      await expect(
        client.workflow.start(helloJourney, {
          taskQueue,
          workflowId,
          args: [{ brandId, greeting: 'again' }],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        }),
      ).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
      return first;
    });

    const rows = await handle.db
      .select()
      .from(events)
      .where(and(eq(events.brandId, brandId), eq(events.dedupeKey, `hello:${workflowId}`)));
    expect(rows).toHaveLength(1);
    expect(String(rows[0]!.id)).toBe(result.eventId);
    expect(rows[0]!.payload).toEqual({ greeting: '你好, Fanfare' });
  });

  it('fails without retrying when the brand does not exist (a business failure)', async () => {
    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      workflowBundle: { codePath: inject('workflowBundlePath') },
      activities: createActivities({ db: handle.db, box: new SecretBox('0'.repeat(64)) }),
    });
    const outcome = await worker.runUntil(
      client.workflow
        .execute(helloJourney, {
          taskQueue,
          workflowId: `hello-${randomUUID()}`,
          args: [{ brandId: randomUUID(), greeting: 'nobody' }],
          workflowExecutionTimeout: '30s',
        })
        .then(
          () => 'completed',
          (error: Error & { cause?: { cause?: { type?: string } } }) => error.cause?.cause?.type,
        ),
    );
    expect(outcome).toBe('E_UNKNOWN_BRAND');
  });
});
