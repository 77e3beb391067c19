/**
 * Publishing, confirmed: what changed since the live version — steps added and removed,
 * each changed step with each changed field before → after in the marketer's words
 * ("最多等待：48 小时 → 1 分钟", the labels of the panel), connections, settings — and the
 * warnings, before the version is frozen.
 */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { portLabel, stepName, type FieldChange, type FlowDraft, type Issue } from '~/lib/engine';
import { diffFlows } from '~/lib/flow-draft';

interface Props {
  open: boolean;
  live: FlowDraft | null;
  liveVersion: number | null;
  draft: FlowDraft;
  warnings: readonly Issue[];
  lang: 'en' | 'zh-CN';
  busy: boolean;
  serverIssues: readonly Issue[];
  serverError: string | null;
  onConfirm(): void;
  onClose(): void;
}

/** A step by its label, else its kind's name (never its id). */
function nameOf(doc: FlowDraft | null, id: string, lang: 'en' | 'zh-CN'): string {
  const node = doc?.nodes.find((n) => n.id === id);
  return node ? stepName(node)[lang] : id;
}

function FieldChanges({
  changes,
  lang,
}: {
  changes: readonly FieldChange[];
  lang: 'en' | 'zh-CN';
}) {
  const { t } = useTranslation();
  if (!changes.length) return null;
  return (
    <ul className="diff__fields">
      {changes.map((c) => (
        <li key={c.path.join('/')} data-field={c.path.join('/')}>
          {t('editor.publish.fieldChange', {
            label: c.label[lang],
            before: c.before[lang],
            after: c.after[lang],
          })}
        </li>
      ))}
    </ul>
  );
}

export function PublishDialog({
  open,
  live,
  liveVersion,
  draft,
  warnings,
  lang,
  busy,
  serverIssues,
  serverError,
  onConfirm,
  onClose,
}: Props) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  const diff = diffFlows(live, draft);
  const section = (key: 'added' | 'removed' | 'changed', ids: string[], doc: FlowDraft | null) =>
    ids.length ? (
      <div className={`diff diff--${key}`} data-diff={key}>
        <h3>{t(`editor.publish.${key}`, { n: ids.length })}</h3>
        <ul>
          {ids.map((id) => (
            <li key={id} data-step={id}>
              <strong>{nameOf(doc, id, lang)}</strong>
              {key === 'changed' ? (
                <FieldChanges changes={diff.stepChanges[id] ?? []} lang={lang} />
              ) : null}
            </li>
          ))}
        </ul>
      </div>
    ) : null;
  return (
    <dialog
      ref={ref}
      className="dialog publish-dialog"
      aria-labelledby="publish-title"
      onClose={onClose}
    >
      <h2 id="publish-title">
        {live
          ? t('editor.publish.titleNext', { version: (liveVersion ?? 0) + 1 })
          : t('editor.publish.titleFirst')}
      </h2>
      {open ? (
        <div className="publish-dialog__body" data-testid="publish-diff">
          {live ? (
            diff.empty ? (
              <p>{t('editor.publish.noChanges', { version: liveVersion ?? 0 })}</p>
            ) : (
              <>
                <p>{t('editor.publish.since', { version: liveVersion ?? 0 })}</p>
                {section('added', diff.added, draft)}
                {section('removed', diff.removed, live)}
                {section('changed', diff.changed, draft)}
                {diff.connections.length ? (
                  <div className="diff" data-diff="connections">
                    <h3>
                      {t('editor.publish.connections', {
                        added: diff.connectionsAdded.length,
                        removed: diff.connectionsRemoved.length,
                      })}
                    </h3>
                    <ul className="diff__fields">
                      {diff.connections.map((c) => (
                        <li key={`${c.change}:${c.from}.${c.port}>${c.to}`} data-change={c.change}>
                          {t(`editor.publish.connection.${c.change}`, {
                            from: nameOf(c.change === 'added' ? draft : live, c.from, lang),
                            port: portLabel(c.port)[lang],
                            to: nameOf(c.change === 'added' ? draft : live, c.to, lang),
                          })}
                        </li>
                      ))}
                    </ul>
                  </div>
                ) : null}
                {diff.settingChanges.length ? (
                  <div className="diff" data-diff="settings">
                    <h3>{t('editor.publish.settings')}</h3>
                    <FieldChanges changes={diff.settingChanges} lang={lang} />
                  </div>
                ) : null}
              </>
            )
          ) : (
            <p>{t('editor.publish.first', { n: draft.nodes.length })}</p>
          )}
          {warnings.length ? (
            <div className="publish-dialog__warnings">
              <h3>{t('editor.publish.warnings', { n: warnings.length })}</h3>
              <ul>
                {warnings.map((w, i) => (
                  <li key={i}>{w.message[lang]}</li>
                ))}
              </ul>
            </div>
          ) : null}
          {serverError ? (
            <div className="alert alert--error" role="alert">
              <p>{serverError}</p>
              {serverIssues.length ? (
                <ul>
                  {serverIssues.map((w, i) => (
                    <li key={i}>{w.message[lang]}</li>
                  ))}
                </ul>
              ) : null}
            </div>
          ) : null}
        </div>
      ) : null}
      <div className="dialog__actions">
        <button type="button" className="button button--secondary" onClick={onClose}>
          {t('editor.publish.cancel')}
        </button>
        <button type="button" className="button" disabled={busy} onClick={onConfirm}>
          {busy ? t('editor.publish.publishing') : t('editor.publish.confirm')}
        </button>
      </div>
    </dialog>
  );
}
