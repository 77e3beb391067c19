/**
 * /brands/new — a new brand (one WeChat Official Account) in one of the signed-in person's
 * organizations where they are admin or owner; then on to its connection page.
 */
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import {
  Field,
  FormProblems,
  brandAdminLinks,
  brandAdminMeta,
  problemText,
} from '~/components/brands/brand-admin';
import { EmptyState } from '~/components/empty-state';
import { ErrorView } from '~/components/error-view';
import { requireUser } from '~/lib/auth.server';
import { fieldProblem, type AuthProblem } from '~/lib/auth-problems';
import { textField } from '~/lib/auth-forms.server';
import { problemsOf } from '~/lib/brands/problems.server';
import { formAction } from '~/lib/http/guard.server';
import { services } from '~/lib/services.server';

export const links = brandAdminLinks;
export const meta = brandAdminMeta('new.title');

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireUser(request);
  return { organizations: await services.brands.organizationsForNewBrand(actor) };
}

export async function action({ request }: ActionFunctionArgs) {
  const { actor } = await requireUser(request);
  const form = await formAction(request);
  const values = {
    organization: textField(form, 'organization'),
    name: textField(form, 'name'),
    slug: textField(form, 'slug'),
  };
  try {
    const brand = await services.brands.create(actor, values);
    return redirect(`/brands/${encodeURIComponent(brand.slug)}/connection`);
  } catch (error) {
    return data({ problems: problemsOf(error), values }, { status: 400 });
  }
}

function OrganizationField({
  organizations,
  problems,
  value,
}: {
  organizations: { slug: string; name: string }[];
  problems: AuthProblem[] | undefined;
  value: string | undefined;
}) {
  const { t } = useTranslation('brands');
  const { t: ta } = useTranslation('auth');
  const problem = fieldProblem(problems, 'organization');
  return (
    <div className="res-field">
      <label htmlFor="brand-organization">{t('new.organization')}</label>
      <select
        id="brand-organization"
        name="organization"
        defaultValue={value ?? organizations[0]?.slug}
        aria-invalid={problem ? true : undefined}
        aria-describedby={
          problem ? 'brand-organization-error brand-organization-hint' : 'brand-organization-hint'
        }
      >
        {organizations.map((o) => (
          <option key={o.slug} value={o.slug}>
            {o.name}
          </option>
        ))}
      </select>
      <span className="res-field__hint" id="brand-organization-hint">
        {t('new.organizationHint')}
      </span>
      {problem ? (
        <span className="res-field__error" id="brand-organization-error">
          {problemText(ta, problem)}
        </span>
      ) : null}
    </div>
  );
}

export default function NewBrandPage() {
  const { t } = useTranslation('brands');
  const { organizations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const problems = result?.problems;
  return (
    <div className="brand-admin">
      <div className="page-header">
        <h1>{t('new.title')}</h1>
      </div>
      {organizations.length === 0 ? (
        <EmptyState title={t('new.noOrganization.title')}>
          <p>{t('new.noOrganization.body')}</p>
        </EmptyState>
      ) : (
        <>
          <p className="res-lead">{t('new.lead')}</p>
          <FormProblems problems={problems} fields={['organization', 'name', 'slug']} />
          <Form method="post" className="res-form res-form--stacked">
            <OrganizationField
              organizations={organizations}
              problems={problems}
              value={result?.values.organization}
            />
            <Field
              id="brand-name"
              name="name"
              label={t('new.name')}
              hint={t('new.nameHint')}
              problems={problems}
              defaultValue={result?.values.name}
              required
              maxLength={100}
            />
            <Field
              id="brand-slug"
              name="slug"
              label={t('new.slug')}
              hint={t('new.slugHint')}
              problems={problems}
              defaultValue={result?.values.slug}
              required
              maxLength={40}
            />
            <button type="submit" className="button" disabled={busy}>
              {busy ? t('common.working') : t('new.submit')}
            </button>
          </Form>
        </>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorView />;
}
