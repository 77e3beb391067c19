/** The live issues list: errors first, each a sentence; choosing one focuses its node. */
import { useTranslation } from 'react-i18next';
import { stepName, type FlowDraft, type Issue } from '~/lib/engine';

export function issueCounts(issues: readonly Issue[]) {
  const errors = issues.filter((i) => i.severity === 'error').length;
  return { errors, warnings: issues.length - errors };
}

export function IssuesPanel({
  issues,
  doc,
  lang,
  onFocus,
}: {
  issues: readonly Issue[];
  doc: FlowDraft;
  lang: 'en' | 'zh-CN';
  onFocus(issue: Issue): void;
}) {
  const { t } = useTranslation();
  const sorted = [...issues].sort((a, b) =>
    a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1,
  );
  const { errors, warnings } = issueCounts(issues);
  if (issues.length === 0) {
    return (
      <div className="panel">
        <p className="issues__none" role="status">
          {t('editor.issues.none')}
        </p>
      </div>
    );
  }
  return (
    <div className="panel">
      <p className="issues__summary" role="status">
        {t('editor.issues.summary', { errors, warnings })}
      </p>
      <ul className="issues" aria-label={t('editor.issues.label')}>
        {sorted.map((issue, i) => {
          const node = issue.nodeId ? doc.nodes.find((n) => n.id === issue.nodeId) : undefined;
          return (
            <li key={`${issue.code}-${issue.path ?? ''}-${i}`}>
              <button
                type="button"
                className={`issue issue--${issue.severity}`}
                data-code={issue.code}
                data-node-id={issue.nodeId ?? ''}
                onClick={() => onFocus(issue)}
              >
                <span className="issue__severity">
                  {t(`editor.issues.severity.${issue.severity}`)}
                </span>
                <span className="issue__message">{issue.message[lang]}</span>
                <span className="issue__where muted">
                  {issue.code}
                  {node ? ` · ${stepName(node)[lang]}` : ''}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
