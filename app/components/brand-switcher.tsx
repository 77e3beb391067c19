import { Form, useSubmit } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { BrandSummary } from '~/lib/flows.server';

/** A GET form (works without JavaScript); with it, choosing an account submits at once. */
export function BrandSwitcher({ brands, current }: { brands: BrandSummary[]; current: string }) {
  const { t } = useTranslation();
  const submit = useSubmit();
  return (
    <Form method="get" action="/" className="brand-switcher">
      <label htmlFor="brand-switch">{t('home.brandSwitch.label')}</label>
      <select
        id="brand-switch"
        name="brand"
        key={current}
        defaultValue={current}
        onChange={(event) => submit(event.currentTarget.form)}
      >
        {brands.map((brand) => (
          <option key={brand.slug} value={brand.slug}>
            {brand.name}
          </option>
        ))}
      </select>
      <button type="submit" className="button button--secondary">
        {t('home.brandSwitch.submit')}
      </button>
    </Form>
  );
}
