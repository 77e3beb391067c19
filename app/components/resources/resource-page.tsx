import { NavLink } from '@remix-run/react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { BrandSwitcher } from '~/components/brand-switcher';
import { ADMIN_SECTIONS, RESOURCE_SECTIONS, sectionPath } from '~/lib/paths';
import type { BrandPage } from '~/lib/resources/context.server';
import { can, type Role } from '../../../services/members/roles';

/** Heading, brand line and switcher (the user's own brands), the resource sub-navigation, then the page. */
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
  return (
    <>
      <div className="page-header">
        <div>
          <h1>{title}</h1>
          <p className="page-header__sub">{t('common.brandLine', { brand: page.brand.name })}</p>
        </div>
        {page.brands.length > 1 ? (
          <BrandSwitcher
            brands={page.brands}
            current={page.brand.slug}
            label={t('common.brandSwitch.label')}
            submitLabel={t('common.brandSwitch.submit')}
          />
        ) : null}
      </div>
      <BrandSubnav slug={page.brand.slug} role={page.role} />
      {children}
    </>
  );
}

/**
 * A brand's sub-navigation: its resources, then — for those who may use them — its
 * administration pages (the routes check the role again).
 */
export function BrandSubnav({ slug, role }: { slug: string; role: Role }) {
  const { t } = useTranslation('resources');
  return (
    <nav className="res-subnav" aria-label={t('nav.label')}>
      <ul>
        {RESOURCE_SECTIONS.map((section) => (
          <li key={section}>
            <NavLink to={sectionPath(slug, section)}>{t(`nav.${section}`)}</NavLink>
          </li>
        ))}
        {/* The brand's administration, for those who may do it (the routes check again). */}
        {can(role, 'members.manage')
          ? ADMIN_SECTIONS.map((section) => (
              <li key={section}>
                <NavLink to={sectionPath(slug, section)}>{t(`nav.${section}`)}</NavLink>
              </li>
            ))
          : null}
      </ul>
    </nav>
  );
}
