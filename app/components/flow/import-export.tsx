/**
 * The flow document as a JSON file: export downloads the draft; import reads a file, checks
 * it with the engine (schema and every validation rule, with the brand's resources) and only
 * replaces the draft when it has no errors. Otherwise the issues are shown and nothing changes.
 */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import {
  FlowDraft,
  hasErrors,
  validate,
  type BrandContext,
  type Issue,
  type ValidateOptions,
} from '~/lib/engine';

export type ImportProblem =
  | { file: string; kind: 'notJson'; detail: string }
  | { file: string; kind: 'invalid'; issues: Issue[] };

export async function readFlowFile(
  file: File,
  brand: BrandContext,
  options?: ValidateOptions,
): Promise<{ ok: true; doc: FlowDraft } | { ok: false; problem: ImportProblem }> {
  let value: unknown;
  try {
    value = JSON.parse(await file.text());
  } catch (error) {
    return {
      ok: false,
      problem: { file: file.name, kind: 'notJson', detail: (error as Error).message },
    };
  }
  const issues = validate(value, brand, options);
  const parsed = FlowDraft.safeParse(value);
  if (!parsed.success || hasErrors(issues)) {
    return {
      ok: false,
      problem: {
        file: file.name,
        kind: 'invalid',
        issues: issues.filter((i) => i.severity === 'error'),
      },
    };
  }
  return { ok: true, doc: parsed.data };
}

export function exportFlow(doc: FlowDraft): void {
  const blob = new Blob([`${JSON.stringify(doc, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${(doc.name || 'flow').replace(/[\\/:*?"<>|]+/g, '_').slice(0, 80)}.flow.json`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

export function ImportDialog({
  problem,
  lang,
  onClose,
}: {
  problem: ImportProblem | null;
  lang: 'en' | 'zh-CN';
  onClose(): void;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (problem && !dialog.open) dialog.showModal();
    if (!problem && dialog.open) dialog.close();
  }, [problem]);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="import-title" onClose={onClose}>
      <h2 id="import-title">{t('editor.importExport.failedTitle')}</h2>
      {problem ? (
        <div data-testid="import-problem">
          <p>{t('editor.importExport.unchanged', { file: problem.file })}</p>
          {problem.kind === 'notJson' ? (
            <p>{t('editor.importExport.notJson', { detail: problem.detail })}</p>
          ) : (
            <ul className="import-issues">
              {problem.issues.map((issue, i) => (
                <li key={i} data-code={issue.code}>
                  <code>{issue.code}</code> {issue.message[lang]}
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : null}
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onClose}>
          {t('editor.importExport.close')}
        </button>
      </div>
    </dialog>
  );
}
