/**
 * Worker wiring only: connections, activities, bundle, shutdown. Business logic lives in
 * ./workflows and ./activities.
 */
import { readFileSync } from 'node:fs';
import { DefaultLogger, Runtime, Worker, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../config/logger';
import { secretKey } from '../config/env';
import { connect } from '../db/client';
import { SecretBox } from '../services/secrets';
import { createActivities } from './activities';
import { workflowsPath } from './bundle';
import { connectClient, connectWorker } from './connection';
import { startDispatcher } from './dispatch/dispatcher';
import { createRouter } from './dispatch/router';
import { ensureDateSweepSchedule } from './schedules';
import { temporalAddress, type WorkerEnv } from './env';

let runtimeInstalled = false;

function installRuntimeLogger(logger: Logger): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({
    logger: new DefaultLogger('WARN', ({ level, message, meta }) => {
      const method = (
        { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const
      )[level as LogLevel];
      logger[method](meta ?? {}, message);
    }),
  });
}

export interface RunningWorker {
  /** Resolves when the worker has drained and stopped. */
  done: Promise<void>;
  shutdown(): void;
}

export async function startWorker(options: {
  env: WorkerEnv;
  databaseUrl: string;
  logger: Logger;
}): Promise<RunningWorker> {
  const { env, logger } = options;
  installRuntimeLogger(logger);
  const dbHandle = connect(options.databaseUrl, {
    max: env.DB_POOL_MAX,
    appName: 'fanfare-worker',
  });
  const connection = await connectWorker({ ...env, TEMPORAL_ADDRESS: temporalAddress(env) });
  // The client side lives here too: the router starts journeys from the outbox and from
  // date sweeps; the sweep schedule is created once.
  const client = await connectClient({ ...env, TEMPORAL_ADDRESS: temporalAddress(env) });
  const router = createRouter({
    db: dbHandle.db,
    temporal: client,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    logger,
  });
  await ensureDateSweepSchedule(client, env.TEMPORAL_TASK_QUEUE);
  const worker = await Worker.create({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    ...(env.WORKFLOW_BUNDLE_PATH
      ? { workflowBundle: { code: readFileSync(env.WORKFLOW_BUNDLE_PATH, 'utf8') } }
      : { workflowsPath, bundlerOptions: { ignoreModules: [] } }),
    activities: createActivities({
      db: dbHandle.db,
      box: new SecretBox(secretKey(env)),
      wechatApiBase: env.WECHAT_API_BASE,
      enterMany: router.enterMany,
      webhook: {
        allowList: env.WEBHOOK_ALLOW_HOSTS,
        timeoutMs: env.WEBHOOK_TIMEOUT_MS,
        maxResponseBytes: env.WEBHOOK_MAX_RESPONSE_BYTES,
      },
    }),
    maxConcurrentActivityTaskExecutions: env.WORKER_MAX_CONCURRENT_ACTIVITIES,
    maxConcurrentWorkflowTaskExecutions: env.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    shutdownGraceTime: env.WORKER_SHUTDOWN_GRACE as `${number}s`,
  });
  logger.info(
    {
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      namespace: env.TEMPORAL_NAMESPACE,
      address: temporalAddress(env),
      bundle: env.WORKFLOW_BUNDLE_PATH ?? 'built at start',
    },
    'worker started',
  );
  // The outbox dispatcher runs beside the worker: events recorded by the web app (callbacks,
  // the events API) and by activities (tag_added) become journeys and signals.
  const dispatcher = await startDispatcher({ db: dbHandle, logger, route: router });
  const done = worker.run().finally(async () => {
    await dispatcher.stop();
    await client.connection.close();
    await connection.close();
    await dbHandle.close();
    logger.info('worker stopped');
  });
  return { done, shutdown: () => worker.shutdown() };
}
