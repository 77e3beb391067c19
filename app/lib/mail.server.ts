/**
 * The web process's mailer (services/mail: MAIL_URL, or nothing) and the invitation email,
 * written in both languages — the invitee's is not known yet — from the same strings as the
 * members page (resources: members.invite.mail).
 */
import { createMailer, type MailOutcome } from '../../services/mail';
import { supportedLanguages, translator } from '~/i18n/config';
import { env } from '~/env.server';

export const mailer = createMailer({ url: env.MAIL_URL, from: env.MAIL_FROM });

export async function mailInvitation(invite: {
  to: string;
  link: string;
  /** The brand (or organization) they are invited to. */
  place: string;
  role: string;
  inviter: string;
  expiresAt: Date;
}): Promise<MailOutcome> {
  const parts = supportedLanguages.map((lng) => {
    const t = translator(lng);
    const values = {
      ...invite,
      role: t(`roles.${invite.role}` as never, { ns: 'auth' }) as string,
      expires: invite.expiresAt.toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    };
    return {
      subject: t('members.invite.mail.subject', { ns: 'resources', ...values }),
      body: t('members.invite.mail.body', { ns: 'resources', ...values }),
    };
  });
  return mailer.send({
    to: invite.to,
    subject: parts.map((p) => p.subject).join(' · '),
    text: parts.map((p) => p.body).join('\n\n———\n\n'),
  });
}
