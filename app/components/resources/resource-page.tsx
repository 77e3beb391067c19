import { Form, NavLink, useLocation, useSubmit } from '@remix-run/react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '~/components/empty-state';
import { BRAND_CREATE_COMMAND } from '~/lib/cli-commands';
import type { BrandPage } from '~/lib/resources/context.server';

export const RESOURCE_SECTIONS = [
  { to: '/tags', key: 'tags' },
  { to: '/coupons', key: 'coupons' },
  { to: '/menus', key: 'menus' },
  { to: '/qr', key: 'qr' },
  { to: '/settings', key: 'settings' },
] as const;

/** `?brand=<slug>` for links and form actions, so every page stays on the chosen brand. */
export const brandQuery = (slug: string | undefined) =>
  slug ? `?brand=${encodeURIComponent(slug)}` : '';

function BrandChooser({ page }: { page: Extract<BrandPage, { kind: 'brand' }> }) {
  const { t } = useTranslation('resources');
  const submit = useSubmit();
  const { pathname } = useLocation();
  if (page.brands.length < 2) return null;
  return (
    <Form method="get" action={pathname} className="brand-switcher">
      <label htmlFor="resource-brand">{t('common.brandSwitch.label')}</label>
      <select
        id="resource-brand"
        name="brand"
        key={page.brand.slug}
        defaultValue={page.brand.slug}
        onChange={(event) => submit(event.currentTarget.form)}
      >
        {page.brands.map((b) => (
          <option key={b.slug} value={b.slug}>
            {b.name}
          </option>
        ))}
      </select>
      <button type="submit" className="button button--secondary">
        {t('common.brandSwitch.submit')}
      </button>
    </Form>
  );
}

/** Heading, brand line and chooser, the resource sub-navigation, then the page (or "no brand"). */
export function ResourcePage({
  title,
  page,
  children,
}: {
  title: string;
  page: BrandPage;
  children: ReactNode;
}) {
  const { t } = useTranslation('resources');
  const slug = page.kind === 'brand' ? page.brand.slug : undefined;
  return (
    <>
      <div className="page-header">
        <div>
          <h1>{title}</h1>
          {page.kind === 'brand' ? (
            <p className="page-header__sub">{t('common.brandLine', { brand: page.brand.name })}</p>
          ) : null}
        </div>
        {page.kind === 'brand' ? <BrandChooser page={page} /> : null}
      </div>
      <nav className="res-subnav" aria-label={t('nav.label')}>
        <ul>
          {RESOURCE_SECTIONS.map((s) => (
            <li key={s.to}>
              <NavLink to={`${s.to}${brandQuery(slug)}`}>{t(`nav.${s.key}`)}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      {page.kind === 'no-brand' ? (
        <EmptyState title={t('common.noBrand.title')}>
          <p>{t('common.noBrand.body')}</p>
          <pre className="command" aria-label={t('common.noBrand.commandLabel')}>
            <code>{BRAND_CREATE_COMMAND}</code>
          </pre>
        </EmptyState>
      ) : (
        children
      )}
    </>
  );
}
