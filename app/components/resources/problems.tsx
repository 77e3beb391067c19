import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { WECHAT_ERRCODES, type Problem } from '../../../services/resources/problems';

type ResourcesT = TFunction<'resources'>;

/** The sentence for one problem; WeChat errors keep their errcode in it. */
export function problemText(t: ResourcesT, p: Problem): string {
  const values = p.values ?? {};
  if (p.code === 'wechat_error') {
    const errcode = Number(values.errcode);
    const known = (WECHAT_ERRCODES as readonly number[]).includes(errcode)
      ? t(`wechat.e${errcode as (typeof WECHAT_ERRCODES)[number]}`)
      : t('wechat.other', { errmsg: String(values.errmsg ?? '') });
    return t('problems.wechat_error', { errcode, sentence: known });
  }
  return t(`problems.${p.code}`, values);
}

/** Problems not tied to one field, as an alert under the form that caused them. */
export function ProblemNotice({
  problems,
  exceptFields = false,
}: {
  problems: Problem[] | undefined;
  exceptFields?: boolean;
}) {
  const { t } = useTranslation('resources');
  const shown = (problems ?? []).filter((p) => !exceptFields || !p.field);
  if (shown.length === 0) return null;
  return (
    <div className="res-notice res-notice--error" role="alert">
      {shown.length === 1 ? (
        <p>{problemText(t, shown[0]!)}</p>
      ) : (
        <ul>
          {shown.map((p, i) => (
            <li key={i}>{problemText(t, p)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The first problem about `field`, for aria-invalid and the message under the input. */
export function fieldProblem(problems: Problem[] | undefined, field: string): Problem | undefined {
  return problems?.find((p) => p.field === field);
}

export function FieldError({ id, problem }: { id: string; problem: Problem | undefined }) {
  const { t } = useTranslation('resources');
  if (!problem) return null;
  return (
    <span className="res-field__error" id={id}>
      {problemText(t, problem)}
    </span>
  );
}

export function SuccessNotice({ children }: { children: string }) {
  return (
    <div className="res-notice res-notice--ok" role="status">
      <p>{children}</p>
    </div>
  );
}
