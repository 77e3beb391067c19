/**
 * Issue 9, "invitations": a brand's members page through the real Remix app in-process. An
 * admin sees the team and invites an editor; the link is shown once and works once; the new
 * editor lands signed in and is on the team; an editor may not open the page (403); the
 * page never shows the invitation token again.
 */
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, type DbHandle } from '../../db/client';
import { auditLog } from '../../db/schema';
import { SecretBox } from '../../services/secrets';
import { hostileBrand, type HostileBrand } from '../support/hostile';
import { signedInMember } from '../support/signed-in';
import { startWebApp, type WebApp } from '../support/web-app';

const secretKey = randomBytes(32).toString('hex');
let app: WebApp;
let handle: DbHandle;
let brand: HostileBrand;
let admin: string;
let editor: string;

beforeAll(async () => {
  process.env.DATABASE_URL = inject('databaseUrl');
  process.env.FANFARE_SECRET_KEY = secretKey;
  handle = connect(inject('databaseUrl'), { max: 4 });
  brand = await hostileBrand(handle, new SecretBox(secretKey));
  admin = (await signedInMember(handle.db, brand.slug, 'admin')).cookie;
  editor = (await signedInMember(handle.db, brand.slug, 'editor')).cookie;
  app = await startWebApp();
});
afterAll(async () => {
  await app?.close();
  await handle?.close();
});

const page = (path: string, cookie: string, lang = 'en') =>
  app.handle(
    new Request(`http://fanfare.test${path}`, {
      headers: { cookie, 'accept-language': lang, accept: 'text/html' },
    }),
  );

const post = (path: string, cookie: string, form: Record<string, string>) =>
  app.handle(
    new Request(`http://fanfare.test${path}`, {
      method: 'POST',
      headers: {
        ...(cookie ? { cookie } : {}),
        'accept-language': 'en',
        origin: 'http://fanfare.test',
        'sec-fetch-site': 'same-origin',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(form).toString(),
      redirect: 'manual',
    }),
  );

describe('the members page', () => {
  const members = () => `/brands/${brand.slug}/members`;

  it('shows an admin the team, in zh-CN too; an editor gets 403', async () => {
    const en = await page(members(), admin);
    expect(en.status).toBe(200);
    const html = await en.text();
    expect(html).toContain('People with access');
    expect(html).toMatch(/admin-[0-9a-f]{8}@example\.test/);
    expect(html).toMatch(/editor-[0-9a-f]{8}@example\.test/);
    const zh = await (await page(members(), admin, 'zh-CN')).text();
    expect(zh).toContain('有权访问的人');
    expect((await page(members(), editor)).status).toBe(403);
  });

  it('invites an editor: the link is shown once, works once, and signs the new editor in', async () => {
    const invited = await post(members(), admin, {
      intent: 'invite',
      email: 'new.editor@example.test',
      role: 'editor',
    });
    expect(invited.status).toBe(200);
    const html = await invited.text();
    const link = /http:\/\/fanfare\.test\/invite\/([A-Za-z0-9_-]{43})/.exec(html);
    expect(link, 'the page shows the invitation link').not.toBeNull();
    const token = link![1]!;
    // Shown once: the page does not show it again.
    expect(await (await page(members(), admin)).text()).not.toContain(token);
    expect(await (await page(members(), admin)).text()).toContain('new.editor@example.test');

    const accepted = await post(`/invite/${token}`, '', {
      name: '新编辑',
      password: 'a good long password',
    });
    expect(accepted.status).toBe(302);
    const cookie = accepted.headers.get('set-cookie')!.split(';')[0]!;
    expect((await page(`/brands/${brand.slug}`, cookie)).status).toBe(200);
    // An editor may build flows, not manage members.
    expect((await page(members(), cookie)).status).toBe(403);
    // The link worked once.
    const again = await post(`/invite/${token}`, '', {
      name: 'x',
      password: 'another long password',
    });
    expect(again.status).toBe(410);

    const audited = await handle.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.brandId, brand.id)));
    expect(audited.map((r) => r.action)).toEqual(
      expect.arrayContaining(['member.invited', 'invitation.accepted']),
    );
  });

  it('refuses an invitation above the admin’s own role on its field, creating nothing', async () => {
    const refused = await post(members(), admin, {
      intent: 'invite',
      email: 'boss@example.test',
      role: 'owner',
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('You may not give the role owner.');
    expect(await (await page(members(), admin)).text()).not.toContain('boss@example.test');
  });
});
