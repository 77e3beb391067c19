/**
 * The pieces of the brand administration pages (new brand, WeChat connection, API keys): the
 * heading with the brand's admin sub-navigation, labelled fields whose problem shows under
 * them, an alert for problems of no field, and a read-only value with a copy button.
 */
import type { LinksFunction, MetaFunction } from '@remix-run/node';
import type { ParseKeys } from 'i18next';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { problemText } from '~/components/auth/auth-form';
import brandsCss from '~/components/brands/brands.css?url';
import { BrandSubnav } from '~/components/resources/resource-page';
import resourcesCss from '~/components/resources/resources.css?url';
import { translator } from '~/i18n/config';
import { languageFromMatches } from '~/i18n/meta';
import { fieldProblem, type AuthProblem } from '~/lib/auth-problems';

export const brandAdminLinks: LinksFunction = () => [
  { rel: 'stylesheet', href: resourcesCss },
  { rel: 'stylesheet', href: brandsCss },
];

export function brandAdminMeta(titleKey: ParseKeys<'brands'>): MetaFunction {
  return ({ matches }) => {
    const t = translator(languageFromMatches(matches));
    return [{ title: t('app.pageTitle', { page: t(titleKey, { ns: 'brands' }) }) }];
  };
}

export { problemText };

/** Problems of no field shown in the form (or of a field it does not have), as one alert. */
export function FormProblems({
  problems,
  fields,
}: {
  problems: AuthProblem[] | undefined;
  fields: string[];
}) {
  const { t } = useTranslation('auth');
  const shown = (problems ?? []).filter((p) => !p.field || !fields.includes(p.field));
  if (shown.length === 0) return null;
  return (
    <div className="res-notice res-notice--error" role="alert">
      {shown.map((p) => (
        <p key={p.code}>{problemText(t, p)}</p>
      ))}
    </div>
  );
}

/** A labelled input with its hint and, when refused, its problem (aria-invalid, described by). */
export function Field({
  id,
  name,
  label,
  hint,
  problems,
  type = 'text',
  defaultValue,
  required,
  autoComplete = 'off',
  placeholder,
  maxLength,
}: {
  id: string;
  name: string;
  label: string;
  hint?: ReactNode;
  problems: AuthProblem[] | undefined;
  type?: 'text' | 'password';
  defaultValue?: string;
  required?: boolean;
  autoComplete?: string;
  placeholder?: string;
  maxLength?: number;
}) {
  const { t } = useTranslation('auth');
  const problem = fieldProblem(problems, name);
  const describedBy = [problem ? `${id}-error` : null, hint ? `${id}-hint` : null]
    .filter(Boolean)
    .join(' ');
  return (
    <div className="res-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        type={type}
        defaultValue={defaultValue}
        required={required}
        autoComplete={autoComplete}
        placeholder={placeholder}
        maxLength={maxLength}
        spellCheck={false}
        autoCapitalize="off"
        aria-invalid={problem ? true : undefined}
        aria-describedby={describedBy || undefined}
      />
      {hint ? (
        <span className="res-field__hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      {problem ? (
        <span className="res-field__error" id={`${id}-error`}>
          {problemText(t, problem)}
        </span>
      ) : null}
    </div>
  );
}

/**
 * A value to copy (a URL, a key): a read-only input anyone can select, and — once the page's
 * script runs — a button that copies it.
 */
export function CopyField({ id, label, value }: { id: string; label: string; value: string }) {
  const { t } = useTranslation('brands');
  const [scripted, setScripted] = useState(false);
  const [status, setStatus] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => setScripted(true), []);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setStatus('copied');
    } catch {
      (document.getElementById(id) as HTMLInputElement | null)?.select();
      setStatus('failed');
    }
  }
  return (
    <div className="res-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-field">
        <input
          id={id}
          type="text"
          readOnly
          value={value}
          onFocus={(event) => event.currentTarget.select()}
          data-testid={id}
        />
        {scripted ? (
          <button type="button" className="button button--secondary" onClick={() => void copy()}>
            {t('common.copy')}
          </button>
        ) : null}
        <span className="copy-field__status" role="status">
          {status === 'copied' ? t('common.copied') : null}
        </span>
      </div>
      {status === 'failed' ? (
        <span className="res-field__error">{t('common.copyFailed')}</span>
      ) : null}
    </div>
  );
}

/** Heading, brand line and the brand's admin sub-navigation. */
export function BrandAdminPage({
  title,
  brand,
  children,
}: {
  title: string;
  brand: { slug: string; name: string };
  children: ReactNode;
}) {
  const { t } = useTranslation('brands');
  return (
    <div className="brand-admin">
      <div className="page-header">
        <div>
          <h1>{title}</h1>
          <p className="page-header__sub">{t('common.brandLine', { brand: brand.name })}</p>
        </div>
      </div>
      {/* Admin pages: their readers are admins (the routes require it). */}
      <BrandSubnav slug={brand.slug} role="admin" />
      {children}
    </div>
  );
}
