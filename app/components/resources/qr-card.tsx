import { useTranslation } from 'react-i18next';
import type { Language } from '~/i18n/config';
import type { QrRow } from '../../../services/qr/index';
import { qrImagePath } from '~/lib/paths';

type Channel = QrRow & { image: string; createdAtLabel: string; expiresAtLabel: string | null };

export function QrCard({
  channel,
  lang,
  brandSlug,
}: {
  channel: Channel;
  lang: Language;
  brandSlug: string;
}) {
  const { t } = useTranslation('resources');
  const n = new Intl.NumberFormat(lang);
  const id = `qr-${channel.id}`;
  return (
    <article className="res-card qr-card" aria-labelledby={`${id}-name`}>
      <h3 id={`${id}-name`}>{channel.name}</h3>
      <img
        src={channel.image}
        alt={t('qr.card.imageAlt', { name: channel.name, scene: channel.scene })}
        width={176}
        height={176}
      />
      <dl>
        <dt>{t('qr.card.scene')}</dt>
        <dd>
          <code>{channel.scene}</code>
        </dd>
        <dt>{t('qr.card.kind')}</dt>
        <dd>
          {channel.kind === 'permanent' ? (
            t('qr.kind.permanent')
          ) : (
            <>
              {t('qr.kind.temporary')}{' '}
              <span className={`res-badge ${channel.expired ? 'res-badge--warn' : ''}`}>
                {channel.expired
                  ? t('qr.card.expired', { at: channel.expiresAtLabel ?? '' })
                  : t('qr.card.expires', { at: channel.expiresAtLabel ?? '' })}
              </span>
            </>
          )}
        </dd>
        <dt>{t('qr.card.scans')}</dt>
        <dd>{n.format(channel.scans)}</dd>
        <dt>{t('qr.card.follows')}</dt>
        <dd>{n.format(channel.follows)}</dd>
        <dt>{t('qr.card.created')}</dt>
        <dd>{channel.createdAtLabel}</dd>
      </dl>
      <a
        className="button button--secondary"
        href={qrImagePath(brandSlug, channel.id)}
        download={`qr-${channel.scene}.png`}
      >
        {t('qr.card.download')}
      </a>
    </article>
  );
}
