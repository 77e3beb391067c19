/**
 * /brands/<slug>/message-templates through the real Remix app and the WeChat sandbox, as a
 * browser without JavaScript uses it: viewers read the list (zh-CN and en), an editor's
 * "Sync from WeChat" is a plain form post that imports the account's templates, a viewer's
 * post is 403 and a stranger's 404.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, type DbHandle } from '../../db/client';
import { SecretBox } from '../../services/secrets';
import { startSandbox, type RunningSandbox } from '../../wechat/sandbox';
import { SandboxControl } from '../../wechat/sandbox/control';
import { insertBrand, type TestBrand } from '../support/brands';
import { signedInMember } from '../support/signed-in';
import { startWebApp, type WebApp } from '../support/web-app';

const secretKey = randomBytes(32).toString('hex');
const box = new SecretBox(secretKey);
let app: WebApp;
let handle: DbHandle;
let sandbox: RunningSandbox;
let brand: TestBrand;
let viewer: string;
let editor: string;
let stranger: string;

beforeAll(async () => {
  handle = connect(inject('databaseUrl'), { max: 4 });
  sandbox = await startSandbox({ port: 0 });
  process.env.DATABASE_URL = inject('databaseUrl');
  process.env.FANFARE_SECRET_KEY = secretKey;
  process.env.WECHAT_API_BASE = sandbox.url;
  brand = await insertBrand(handle.db, box, { prefix: 'tplpage' });
  await new SandboxControl(sandbox.url).registerAccount({
    appId: brand.appId,
    secret: brand.secret,
    token: brand.token,
  });
  viewer = (await signedInMember(handle.db, brand.slug, 'viewer')).cookie;
  editor = (await signedInMember(handle.db, brand.slug, 'editor')).cookie;
  const other = await insertBrand(handle.db, box, { prefix: 'tplpage-other' });
  stranger = (await signedInMember(handle.db, other.slug, 'owner')).cookie;
  app = await startWebApp();
}, 120_000);

afterAll(async () => {
  await app?.close();
  await sandbox?.stop();
  await handle?.close();
});

const path = () => `/brands/${brand.slug}/message-templates`;
const page = (cookie: string, lang = 'en') =>
  app.handle(
    new Request(`http://fanfare.test${path()}`, {
      headers: { cookie, 'accept-language': lang, accept: 'text/html' },
    }),
  );
const sync = (cookie: string, lang = 'en') =>
  app.handle(
    new Request(`http://fanfare.test${path()}`, {
      method: 'POST',
      headers: {
        cookie,
        'accept-language': lang,
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'http://fanfare.test',
        'sec-fetch-site': 'same-origin',
      },
      body: new URLSearchParams({ intent: 'sync' }).toString(),
    }),
  );

describe('the message templates page', () => {
  it('is empty before a sync; viewers may not sync (403), strangers see nothing (404)', async () => {
    const html = await (await page(viewer)).text();
    expect(html).toContain('Message templates');
    expect(html).toContain('No message templates yet');
    expect(html).toContain('Editors and above can sync');
    expect(html).not.toContain('name="intent" value="sync"');
    expect((await sync(viewer)).status).toBe(403);
    expect((await page(stranger)).status).toBe(404);
    expect((await sync(stranger)).status).toBe(404);
  });

  it("an editor's sync imports the account's templates, shown with their keywords", async () => {
    const before = await (await page(editor)).text();
    expect(before).toContain('name="intent" value="sync"');
    const response = await sync(editor);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('3 templates synced from WeChat.');
    expect(html).toContain('Added: ');
    for (const title of ['会员注册成功通知', '优惠券到账提醒', '生日祝福'])
      expect(html).toContain(title);

    const zh = await (await page(viewer, 'zh-CN')).text();
    expect(zh).toContain('模板消息');
    expect(zh).toContain('上次同步');
    expect(zh).toContain('<strong>注册时间</strong> <code>time3</code>');
    expect(zh).toContain('20 个以内字符');
  });
});
