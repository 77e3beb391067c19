/**
 * A whole Fanfare runtime for integration tests, all real parts: the WeChat sandbox, the
 * callback route served over HTTP, a Temporal worker (the shared bundle) on the test's Temporal
 * server, the outbox dispatcher and router, and a brand registered on both sides.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { eq } from 'drizzle-orm';
import { inject } from 'vitest';
import { handleWechatCallback } from '../../app/lib/wechat-callback.server';
import { compile } from '../../engine/compile';
import { createLogger } from '../../config/logger';
import { connect, type DbHandle } from '../../db/client';
import { addCodes, createPool } from '../../services/coupons/codes';
import { flowVersions, flows, journeys, menus } from '../../db/schema';
import { SecretBox } from '../../services/secrets';
import { createActivities } from '../../workflows/activities';
import type { WebhookOptions } from '../../workflows/activities/webhook-http';
import { createWechatClients } from '../../services/wechat/clients';
import { startDispatcher, type Dispatcher } from '../../workflows/dispatch/dispatcher';
import { createRouter } from '../../workflows/dispatch/router';
import { publishMenus } from '../../services/wechat/resources';
import { startSandbox, type RunningSandbox } from '../../wechat/sandbox';
import { SandboxControl } from '../../wechat/sandbox/control';
import { insertBrand } from './brands';
import { serve, type Served } from './serve';

export interface Runtime {
  handle: DbHandle;
  sandbox: RunningSandbox;
  control: SandboxControl;
  app: Served;
  temporal: Client;
  box: SecretBox;
  /** FANFARE_SECRET_KEY for processes (a worker) that must read this brand's credentials. */
  secretKeyHex: string;
  brand: { id: string; slug: string; appId: string; token: string; secret: string };
  taskQueue: string;
  /** Runs the worker and the dispatcher until `fn` settles. */
  running<T>(fn: () => Promise<T>): Promise<T>;
  publish(
    documentPath: string | Record<string, unknown>,
    options?: {
      brandId?: string;
      /** Save-time allow-list (default: the worker's); a test may publish what the worker refuses. */
      webhookAllowList?: readonly string[];
    },
  ): Promise<{ flowId: string; versionId: string }>;
  /** Another brand on the same runtime (registered in the sandbox, same callback route). */
  addBrand(prefix: string): Promise<{ id: string; slug: string; appId: string; token: string }>;
  callbackUrl: string;
  close(): Promise<void>;
}

export async function startRuntime(
  options: {
    /** e.g. a time-skipping TestWorkflowEnvironment's client and connection */
    temporal?: { client: Client; nativeConnection: NativeConnection };
    /**
     * The worker's webhook settings. Default: 127.0.0.1 allowed, where tests' receivers listen
     * (as an operator would list an internal CRM in WEBHOOK_ALLOW_HOSTS).
     */
    webhook?: WebhookOptions;
  } = {},
): Promise<Runtime> {
  const logger = createLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent');
  const handle = connect(inject('databaseUrl'), { max: 12 });
  const secretKeyHex = randomBytes(32).toString('hex');
  const box = new SecretBox(secretKeyHex);
  const sandbox = await startSandbox({ port: 0 });
  const control = new SandboxControl(sandbox.url);
  const app = await serve((request) =>
    handleWechatCallback(
      { db: handle.db, box, logger },
      new URL(request.url).pathname.split('/')[2] ?? '',
      request,
    ),
  );
  const address = inject('temporalAddress');
  const ownsTemporal = !options.temporal;
  const temporal =
    options.temporal?.client ?? new Client({ connection: await Connection.connect({ address }) });
  const nativeConnection =
    options.temporal?.nativeConnection ?? (await NativeConnection.connect({ address }));

  const {
    id: brandId,
    slug,
    appId,
    token,
    secret,
  } = await insertBrand(handle.db, box, { prefix: 'rt', apiBase: sandbox.url });
  const callbackUrl = `${app.url}/wechat/${slug}`;
  await control.registerAccount({ appId, secret, token, mode: 'plaintext', callbackUrl });

  const taskQueue = `rt-${randomUUID()}`;
  /** The brands this runtime routes (its own and addBrand's): files share one database. */
  const brandIds = [brandId];
  const webhook: WebhookOptions = options.webhook ?? { allowList: ['127.0.0.1'] };
  const wechat = createWechatClients({ db: handle.db, box });

  return {
    handle,
    sandbox,
    control,
    app,
    temporal,
    box,
    secretKeyHex,
    brand: { id: brandId, slug, appId, token, secret },
    callbackUrl,
    taskQueue,
    async running(fn) {
      const router = createRouter({ db: handle.db, temporal, taskQueue, logger, cacheMs: 0 });
      const worker = await Worker.create({
        connection: nativeConnection,
        taskQueue,
        workflowBundle: { codePath: inject('workflowBundlePath') },
        activities: createActivities({
          db: handle.db,
          box,
          wechat,
          enterMany: router.enterMany,
          webhook,
        }),
      });
      let dispatcher: Dispatcher | undefined;
      return worker.runUntil(async () => {
        dispatcher = await startDispatcher({
          db: handle,
          logger,
          pollMs: 200,
          route: router,
          brandIds,
        });
        try {
          return await fn();
        } finally {
          await dispatcher.stop();
        }
      });
    },
    async publish(document, publishOptions = {}) {
      const doc =
        typeof document === 'string' ? JSON.parse(readFileSync(document, 'utf8')) : document;
      const plan = compile(doc, {
        webhookAllowList: publishOptions.webhookAllowList ?? webhook.allowList ?? [],
      });
      const [flow] = await handle.db
        .insert(flows)
        .values({
          brandId: publishOptions.brandId ?? brandId,
          name: plan.name,
          status: 'live',
          draft: doc,
        })
        .returning({ id: flows.id });
      const [version] = await handle.db
        .insert(flowVersions)
        .values({
          flowId: flow!.id,
          version: 1,
          document: doc,
          plan: plan as never,
          contentHash: plan.hash,
        })
        .returning({ id: flowVersions.id });
      await handle.db
        .update(flows)
        .set({ liveVersionId: version!.id })
        .where(eq(flows.id, flow!.id));
      return { flowId: flow!.id, versionId: version!.id };
    },
    async addBrand(prefix) {
      const other = await insertBrand(handle.db, box, { prefix, apiBase: sandbox.url });
      brandIds.push(other.id);
      await control.registerAccount({
        appId: other.appId,
        secret: other.secret,
        token: other.token,
        mode: 'plaintext',
        callbackUrl: `${app.url}/wechat/${other.slug}`,
      });
      return { id: other.id, slug: other.slug, appId: other.appId, token: other.token };
    },
    async close() {
      await app.close();
      await sandbox.stop();
      if (ownsTemporal) {
        await temporal.connection.close();
        await nativeConnection.close();
      }
      await handle.close();
    },
  };
}

/** The cup-QR world: a coupon pool and the default + VIP menus published to the sandbox. */
export async function seedCupWorld(
  rt: Runtime,
  codes = ['CUP-0001', 'CUP-0002', 'CUP-0003'],
): Promise<void> {
  const poolId = await createPool(rt.handle.db, rt.brand.id, 'cup-coupon');
  await addCodes(rt.handle.db, poolId!, codes);
  await rt.handle.db.insert(menus).values([
    {
      brandId: rt.brand.id,
      name: 'default',
      isDefault: true,
      buttons: [{ type: 'click', name: '菜单', key: 'MENU' }],
    },
    {
      brandId: rt.brand.id,
      name: 'vip-menu',
      buttons: [{ type: 'click', name: 'VIP 专享', key: 'VIP' }],
    },
  ]);
  const { client } = await createWechatClients({ db: rt.handle.db, box: rt.box }).forBrand(
    rt.brand.id,
  );
  await publishMenus(rt.handle.db, client, rt.brand.id);
}

export async function journeyRows(rt: Runtime, flowId: string) {
  return rt.handle.db.select().from(journeys).where(eq(journeys.flowId, flowId));
}
