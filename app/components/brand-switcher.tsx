import { Form, useLocation, useNavigate } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { switchBrandPath } from '~/lib/paths';

/**
 * Only the signed-in user's brands. With JavaScript, choosing one goes straight to the same
 * section of that brand; without, the GET form asks `/?brand=<slug>`, which redirects to
 * `/brands/<slug>` (where membership is checked like everywhere else).
 */
export function BrandSwitcher({
  brands,
  current,
  label,
  submitLabel,
}: {
  brands: { slug: string; name: string }[];
  current: string;
  label?: string;
  submitLabel?: string;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  return (
    <Form method="get" action="/" className="brand-switcher">
      <label htmlFor="brand-switch">{label ?? t('home.brandSwitch.label')}</label>
      <select
        id="brand-switch"
        name="brand"
        key={current}
        defaultValue={current}
        onChange={(event) => navigate(switchBrandPath(pathname, event.currentTarget.value))}
      >
        {brands.map((brand) => (
          <option key={brand.slug} value={brand.slug}>
            {brand.name}
          </option>
        ))}
      </select>
      <button type="submit" className="button button--secondary">
        {submitLabel ?? t('home.brandSwitch.submit')}
      </button>
    </Form>
  );
}
