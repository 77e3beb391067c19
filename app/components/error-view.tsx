import { isRouteErrorResponse, Link, useRouteError } from '@remix-run/react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { errorReason } from '~/lib/route-errors';

interface Described {
  status: number;
  title: string;
  body: string;
  /** A 401 offers the sign-in page instead of the way home. */
  signIn?: boolean;
}

function describe(error: unknown, t: TFunction, ta: TFunction<'auth'>): Described {
  if (!isRouteErrorResponse(error)) {
    return { status: 500, title: t('errors.serverTitle'), body: t('errors.serverBody') };
  }
  const { status } = error;
  const reason = errorReason(error.data);
  if (reason?.reason === 'refused') {
    const body =
      reason.why === 'tooLarge'
        ? t('errors.refused.tooLarge', { limit: reason.limit ?? '' })
        : t(`errors.refused.${reason.why}`);
    return { status, title: t('errors.refusedTitle'), body };
  }
  if (status === 404) {
    if (reason?.reason === 'brand-not-found') {
      return {
        status,
        title: t('errors.brandNotFoundTitle'),
        body: t('errors.brandNotFound', { slug: reason.slug }),
      };
    }
    return { status, title: t('errors.notFoundTitle'), body: t('errors.notFoundBody') };
  }
  if (status === 401) {
    const [title, body] = [ta('errors.unauthenticatedTitle'), ta('errors.unauthenticatedBody')];
    return { status, title, body, signIn: true };
  }
  if (status === 403 && reason?.reason === 'cross-site') {
    return { status, title: ta('errors.crossSiteTitle'), body: ta('errors.crossSiteBody') };
  }
  if (status === 403 && reason?.reason === 'forbidden') {
    const [role, need] = [ta(`roles.${reason.role}`), ta(`roles.${reason.need}`)];
    return {
      status,
      title: ta('errors.forbiddenTitle'),
      body: ta('errors.forbiddenBody', { role, need }),
    };
  }
  if (status === 400) {
    const body =
      reason?.reason === 'bad-language' ? t('errors.badLanguage') : t('errors.genericBody');
    return { status, title: t('errors.badRequestTitle'), body };
  }
  if (status >= 500)
    return { status, title: t('errors.serverTitle'), body: t('errors.serverBody') };
  return { status, title: t('errors.genericTitle'), body: t('errors.genericBody') };
}

/** The body of every ErrorBoundary: status, a sentence a marketer can act on, a way back. */
export function ErrorView() {
  const error = useRouteError();
  const { t } = useTranslation();
  const { t: ta } = useTranslation('auth');
  const { status, title, body, signIn } = describe(error, t, ta);
  // Stacks help while developing; in production the server has already replaced them.
  const details =
    import.meta.env.DEV && error instanceof Error ? (error.stack ?? error.message) : undefined;
  return (
    <section className="error-view" aria-labelledby="error-title">
      <p className="error-view__status">{t('errors.status', { status })}</p>
      <h1 id="error-title">{title}</h1>
      <p className="error-view__body">{body}</p>
      {details ? (
        <details className="error-view__details">
          <summary>{t('errors.details')}</summary>
          <pre>{details}</pre>
        </details>
      ) : null}
      <p>
        {signIn ? (
          <Link to="/login" className="button">
            {ta('errors.signIn')}
          </Link>
        ) : (
          <Link to="/" className="button">
            {t('errors.backHome')}
          </Link>
        )}
      </p>
    </section>
  );
}
