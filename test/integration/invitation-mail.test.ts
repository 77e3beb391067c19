/**
 * Invitations by email (issue 9: "a MAIL_URL/SMTP setting can send it where one exists"):
 * with MAIL_URL set, inviting on the members page also emails the link — the same link the
 * page shows, in both languages — through a real SMTP conversation (smtp-server as the mail
 * server). A mail server that cannot be reached or refuses the sign-in is reported as such,
 * never thrown and never silent.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, type DbHandle } from '../../db/client';
import { createMailer } from '../../services/mail';
import { SecretBox } from '../../services/secrets';
import { freePort } from '../../workflows/temporal-cli';
import { hostileBrand, type HostileBrand } from '../support/hostile';
import { signedInMember } from '../support/signed-in';
import { startWebApp, type WebApp } from '../support/web-app';

interface Received {
  from: string;
  to: string[];
  data: string;
}

/** A mail server on a free port that keeps what it is sent; with `password`, sign-in is required. */
async function mailServer(password?: string) {
  const received: Received[] = [];
  const server = new SMTPServer({
    disabledCommands: password ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !password,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, done) {
      if (auth.username === 'fanfare' && auth.password === password)
        done(null, { user: 'fanfare' });
      else done(new Error('invalid credentials'));
    },
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(chunks).toString('utf8'),
        });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { received, port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** The text of a (quoted-printable, UTF-8) message body, soft line breaks joined. */
const bodyText = (raw: string) =>
  Buffer.from(
    raw
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
    'latin1',
  ).toString('utf8');

describe('the mailer', () => {
  it('sends through the mail server, signing in when the URL has an account', async () => {
    const server = await mailServer('s3cret');
    try {
      const mailer = createMailer({
        url: `smtp://fanfare:s3cret@127.0.0.1:${server.port}`,
        from: 'Fanfare <fanfare@example.test>',
      });
      expect(await mailer.send({ to: 'a@example.test', subject: 'Hi', text: 'hello' })).toEqual({
        status: 'sent',
      });
      expect(server.received).toHaveLength(1);
      expect(server.received[0]!.to).toEqual(['a@example.test']);
      expect(server.received[0]!.from).toBe('fanfare@example.test');

      const wrong = createMailer({
        url: `smtp://fanfare:wrong@127.0.0.1:${server.port}`,
        from: 'Fanfare <fanfare@example.test>',
      });
      expect(await wrong.send({ to: 'a@example.test', subject: 'Hi', text: 'x' })).toEqual({
        status: 'failed',
        reason: 'sign_in',
      });
      expect(server.received).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('says the mail server could not be reached, and that nothing is sent without MAIL_URL', async () => {
    const port = await freePort();
    const mailer = createMailer({ url: `smtp://127.0.0.1:${port}`, from: 'f@example.test' });
    expect(await mailer.send({ to: 'a@example.test', subject: 'x', text: 'x' })).toEqual({
      status: 'failed',
      reason: 'unreachable',
    });
    expect(
      await createMailer({ from: 'f@example.test' }).send({ to: 'a', subject: 'x', text: 'x' }),
    ).toEqual({ status: 'off' });
  });
});

describe('inviting on the members page with MAIL_URL set', () => {
  const secretKey = randomBytes(32).toString('hex');
  let server: Awaited<ReturnType<typeof mailServer>>;
  let app: WebApp;
  let handle: DbHandle;
  let brand: HostileBrand;
  let admin: string;

  beforeAll(async () => {
    server = await mailServer();
    process.env.DATABASE_URL = inject('databaseUrl');
    process.env.FANFARE_SECRET_KEY = secretKey;
    process.env.MAIL_URL = `smtp://127.0.0.1:${server.port}`;
    process.env.MAIL_FROM = 'Fanfare <invites@fanfare.test>';
    handle = connect(inject('databaseUrl'), { max: 4 });
    brand = await hostileBrand(handle, new SecretBox(secretKey));
    admin = (await signedInMember(handle.db, brand.slug, 'admin')).cookie;
    app = await startWebApp();
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
    await server?.close();
  });

  it('emails the link the page shows, in Chinese and English, and the page says so', async () => {
    const response = await app.handle(
      new Request(`http://fanfare.test/brands/${brand.slug}/members`, {
        method: 'POST',
        headers: {
          cookie: admin,
          'accept-language': 'zh-CN',
          origin: 'http://fanfare.test',
          'sec-fetch-site': 'same-origin',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({
          intent: 'invite',
          email: 'mailed.editor@example.test',
          role: 'editor',
        }).toString(),
      }),
    );
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('链接也已通过邮件发送给 mailed.editor@example.test');
    const shown = /http:\/\/fanfare\.test\/invite\/[A-Za-z0-9_-]{43}/.exec(html)?.[0];
    expect(shown, 'the page shows the link').toBeTruthy();

    expect(server.received).toHaveLength(1);
    const mail = server.received[0]!;
    expect(mail.to).toEqual(['mailed.editor@example.test']);
    expect(mail.from).toBe('invites@fanfare.test');
    const text = bodyText(mail.data);
    expect(text).toContain(shown!);
    expect(text).toMatch(/以编辑身份加入/);
    expect(text).toMatch(/as editor/);
  });
});
