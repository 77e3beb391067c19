/**
 * `/`: the signed-in user's brands (only those they are a member of), each a link to its
 * flows. With exactly one brand it goes straight there; with none it explains — and, for an
 * owner or admin of an organization, how to add a brand. `/?brand=<slug>` (the brand
 * switcher without JavaScript, and old links) redirects to `/brands/<slug>`, where
 * membership is checked like on every brand page.
 */
import {
  redirect,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '~/components/empty-state';
import { ErrorView } from '~/components/error-view';
import { translator } from '~/i18n/config';
import { languageFromMatches } from '~/i18n/meta';
import { requireUser } from '~/lib/auth.server';
import { brandCreateCommand } from '~/lib/cli-commands';
import { brandPath } from '~/lib/paths';
import { services } from '~/lib/services.server';
import listStyles from '~/styles/flows-list.css?url';
import { can } from '../../services/members/roles';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: listStyles }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireUser(request);
  const asked = new URL(request.url).searchParams.get('brand');
  if (asked) throw redirect(brandPath(asked));
  const { memberships } = services.members;
  const brands = await memberships.brandsOf(user.id);
  if (brands.length === 1) throw redirect(brandPath(brands[0]!.slug));
  // Organizations where this person may add a brand (owner/admin): the page says how.
  const organizations = [];
  if (brands.length === 0) {
    for (const org of await memberships.organizationsOf(user.id)) {
      const role = await memberships.roleInOrganization(user.id, org.id);
      if (role && can(role, 'brand.manage')) organizations.push({ slug: org.slug, name: org.name });
    }
  }
  return {
    brands: brands.map(({ slug, name, role }) => ({ slug, name, role })),
    organizations,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = translator(languageFromMatches(matches));
  return [
    { title: t('app.pageTitle', { page: data ? t('brands.title') : t('errors.notFoundTitle') }) },
  ];
};

function NoBrand({ organizations }: { organizations: { slug: string; name: string }[] }) {
  const { t } = useTranslation();
  const { t: ta } = useTranslation('auth');
  const org = organizations[0];
  return (
    <EmptyState title={t('home.noBrand.title')}>
      <p>{t('home.noBrand.body')}</p>
      {org ? (
        <>
          <p>
            <Link className="button" to="/brands/new">
              {t('home.noBrand.addInUi')}
            </Link>
          </p>
          <p>{t('home.noBrand.instruction')}</p>
          <pre className="command" aria-label={t('home.noBrand.commandLabel')}>
            <code>{brandCreateCommand(org.slug)}</code>
          </pre>
          <p className="muted">{t('home.noBrand.placeholders')}</p>
        </>
      ) : (
        <p data-testid="no-brand-ask">
          {t('home.noBrand.askAdmin', { owner: ta('roles.owner'), admin: ta('roles.admin') })}
        </p>
      )}
    </EmptyState>
  );
}

export default function BrandsHome() {
  const { brands, organizations } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const { t: ta } = useTranslation('auth');
  return (
    <>
      <div className="page-header">
        <div>
          <h1>{t('brands.heading')}</h1>
          {brands.length > 0 ? <p className="page-header__sub">{t('brands.lead')}</p> : null}
        </div>
        {brands.length > 0 && organizations.length > 0 ? (
          <Link className="button" to="/brands/new">
            {t('brands.add')}
          </Link>
        ) : null}
      </div>
      {brands.length === 0 ? <NoBrand organizations={organizations} /> : null}
      {brands.length > 0 ? (
        <ul className="brand-list" data-testid="brand-list">
          {brands.map((brand) => (
            <li key={brand.slug}>
              <Link to={brandPath(brand.slug)}>{brand.name}</Link>{' '}
              <span className="muted">{t('brands.role', { role: ta(`roles.${brand.role}`) })}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorView />;
}
