/** The use cases (services/) over the web process's database and WeChat clients. */
import { createServices } from '../../services';
import { createWechatClients, type WechatClients } from '../../services/wechat/clients';
import { env } from '~/env.server';
import { db } from '~/lib/db.server';
import { logger } from '~/lib/logger.server';
import { secretBox } from '~/lib/secrets.server';

// Like the db handle: one set of WeChat clients (and cached tokens) across Vite's module
// reloads. WECHAT_API_BASE is the sandbox under `npm run dev`, unless the brand has its own.
const cache = globalThis as typeof globalThis & { __fanfareWebWechat?: WechatClients };
cache.__fanfareWebWechat ??= createWechatClients({
  db,
  box: secretBox,
  apiBase: env.WECHAT_API_BASE,
});

export const services = createServices({
  db,
  box: secretBox,
  wechatApiBase: env.WECHAT_API_BASE,
  webhookAllowList: env.WEBHOOK_ALLOW_HOSTS,
  wechat: cache.__fanfareWebWechat,
  onWechatError: (err, context) =>
    logger.warn({ err, ...context }, 'WeChat refused a resource call'),
});
