/**
 * Mail, when the operator configured it (MAIL_URL, e.g. smtps://user:pass@smtp.example.com):
 * invitations are emailed as well as shown to copy. Without it nothing is sent and the
 * pages say so — a link is always shown, so Fanfare works with no mail server at all.
 *
 * The transport is nodemailer's SMTP client. A send that fails is reported to the caller
 * with a reason (never thrown past it, never silent); the URL, which holds the password,
 * is never logged or shown.
 */
import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Why a send failed, for the page to say in the reader's language. */
export type MailFailure = 'refused' | 'sign_in' | 'unreachable' | 'other';

export type MailOutcome =
  { status: 'sent' } | { status: 'off' } | { status: 'failed'; reason: MailFailure };

export interface Mailer {
  send(message: MailMessage): Promise<MailOutcome>;
}

/** Bounded so a dead mail server cannot hold a page for long. */
const TIMEOUT_MS = 10_000;

/** A mailer over MAIL_URL, or one that sends nothing (status `off`) when it is unset. */
export function createMailer(config: { url?: string; from: string }): Mailer {
  if (!config.url) return { send: async () => ({ status: 'off' }) };
  const transport = nodemailer.createTransport(config.url, {
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
  });
  return {
    async send(message) {
      try {
        await transport.sendMail({ from: config.from, ...message });
        return { status: 'sent' };
      } catch (error) {
        return { status: 'failed', reason: describe(error) };
      }
    },
  };
}

/** What went wrong, as a kind a person can act on; never the URL or its credentials. */
function describe(error: unknown): MailFailure {
  const e = error as { code?: string; responseCode?: number };
  if (e.code === 'EAUTH') return 'sign_in';
  if (e.responseCode) return 'refused';
  if (['ECONNECTION', 'ESOCKET', 'ETIMEDOUT', 'EDNS', 'ECONNREFUSED'].includes(e.code ?? ''))
    return 'unreachable';
  return 'other';
}
