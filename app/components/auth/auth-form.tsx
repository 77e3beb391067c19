/**
 * The pieces of the account pages (sign-in, setup, account, invitation): a card, labelled
 * fields whose problem shows under them (aria-invalid, aria-describedby), and an alert for
 * problems that belong to no field.
 */
import { useNavigation } from '@remix-run/react';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldProblem, type AuthProblem } from '~/lib/auth-problems';
import { isRole } from '../../../services/members/roles';

/** A refused use case's sentence (problems.<code>), role names in the reader's language. */
export function problemText(t: TFunction<'auth'>, problem: AuthProblem): string {
  const values = { ...(problem.values ?? {}) };
  for (const key of ['role', 'need'] as const) {
    const role = values[key];
    if (isRole(role)) values[key] = t(`roles.${role}`);
  }
  return t(`problems.${problem.code}`, values);
}

export function AuthCard({
  title,
  lead,
  children,
}: {
  title: string;
  lead?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="auth-card" aria-labelledby="auth-title">
      <h1 id="auth-title">{title}</h1>
      {lead ? <div className="auth-card__lead">{lead}</div> : null}
      {children}
    </section>
  );
}

export function AuthField({
  name,
  label,
  type = 'text',
  autoComplete,
  defaultValue,
  hint,
  problems,
  required = true,
  autoFocus,
  readOnly,
}: {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password';
  autoComplete?: string;
  defaultValue?: string;
  hint?: string;
  problems?: AuthProblem[];
  required?: boolean;
  autoFocus?: boolean;
  readOnly?: boolean;
}) {
  const { t } = useTranslation('auth');
  const id = `auth-${name}`;
  const problem = fieldProblem(problems, name);
  const describedBy = [problem ? `${id}-error` : null, hint ? `${id}-hint` : null]
    .filter(Boolean)
    .join(' ');
  return (
    <div className="auth-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        type={type}
        autoComplete={autoComplete}
        defaultValue={defaultValue}
        required={required}
        readOnly={readOnly}
        autoFocus={autoFocus}
        aria-invalid={problem ? true : undefined}
        aria-describedby={describedBy || undefined}
        spellCheck={false}
        autoCapitalize="off"
      />
      {hint ? (
        <span className="auth-field__hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      {problem ? (
        <span className="auth-field__error" id={`${id}-error`}>
          {problemText(t, problem)}
        </span>
      ) : null}
    </div>
  );
}

/** Problems not tied to a field (or whose field the form does not show), as one alert. */
export function FormProblems({ problems, fields }: { problems?: AuthProblem[]; fields: string[] }) {
  const { t } = useTranslation('auth');
  const shown = (problems ?? []).filter((p) => !p.field || !fields.includes(p.field));
  if (shown.length === 0) return null;
  return (
    <div className="auth-notice auth-notice--error" role="alert">
      {shown.map((p) => (
        <p key={p.code}>{problemText(t, p)}</p>
      ))}
    </div>
  );
}

export function SubmitButton({ label, working }: { label: string; working: string }) {
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting';
  return (
    <button type="submit" className="button auth-submit" disabled={busy}>
      {busy ? working : label}
    </button>
  );
}
