/** Version history: every published version, newest first, to view or restore as the draft. */
import { Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { VersionSummary } from '../../../services/flows/editor.types';
import { versionPath } from '~/lib/paths';

interface Props {
  brandSlug: string;
  flowId: string;
  versions: readonly VersionSummary[];
  liveVersion: number | null;
  formatDate(iso: string): string;
  onRestore(version: number): void;
  busy: boolean;
  /** False for a viewer (or an archived flow): versions can be viewed, not restored. */
  canRestore?: boolean;
}

export function VersionsPanel({
  brandSlug,
  flowId,
  versions,
  liveVersion,
  formatDate,
  onRestore,
  busy,
  canRestore = true,
}: Props) {
  const { t } = useTranslation();
  return (
    <div className="panel">
      <h2>{t('editor.versions.heading')}</h2>
      {versions.length === 0 ? (
        <p className="muted">{t('editor.versions.none')}</p>
      ) : (
        <ol className="versions" aria-label={t('editor.versions.heading')}>
          {versions.map((v) => (
            <li key={v.id} className="version" data-version={v.version}>
              <div className="version__head">
                <strong>{t('editor.versions.version', { version: v.version })}</strong>
                {v.version === liveVersion ? (
                  <span className="badge badge--live">{t('editor.versions.live')}</span>
                ) : null}
              </div>
              <div className="muted version__meta">
                <time dateTime={v.publishedAt}>{formatDate(v.publishedAt)}</time> ·{' '}
                {t('editor.versions.steps', { n: v.nodeCount })} ·{' '}
                <code title={v.contentHash}>{v.contentHash.slice(0, 8)}</code>
                {v.publishedBy ? (
                  <> · {t('editor.versions.publishedBy', { name: v.publishedBy })}</>
                ) : null}
              </div>
              <div className="version__actions">
                <Link
                  className="button button--secondary button--small"
                  to={versionPath(brandSlug, flowId, v.version)}
                >
                  {t('editor.versions.view')}
                </Link>
                {canRestore ? (
                  <button
                    type="button"
                    className="button button--secondary button--small"
                    disabled={busy}
                    onClick={() => {
                      if (
                        window.confirm(t('editor.versions.restoreConfirm', { version: v.version }))
                      )
                        onRestore(v.version);
                    }}
                  >
                    {t('editor.versions.restore')}
                  </button>
                ) : null}
              </div>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
