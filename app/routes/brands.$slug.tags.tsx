import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorView } from '~/components/error-view';
import {
  FieldError,
  ProblemNotice,
  SuccessNotice,
  fieldProblem,
} from '~/components/resources/problems';
import { ResourcePage } from '~/components/resources/resource-page';
import { resourceLinks, resourceMeta } from '~/components/resources/route-exports';
import { TagsTable } from '~/components/resources/tags-table';
import { useSubmitting } from '~/components/resources/use-action-state';
import { resolveLanguage } from '~/i18n/language.server';
import { formAction } from '~/lib/http/guard.server';
import { requireMember } from '~/lib/auth.server';
import { answer, brandPage, field, memberBrand } from '~/lib/resources/context.server';
import { services } from '~/lib/services.server';
import { TAG_NAME_MAX_BYTES } from '../../services/resources/limits';
import { REQUIRED_ROLE } from '../../services/members/roles';

export const links = resourceLinks;
export const meta = resourceMeta('tags.title');

export async function loader({ params, request }: LoaderFunctionArgs) {
  const { brand, page } = await brandPage(
    await requireMember(request, { brand: params.slug, atLeast: REQUIRED_ROLE['brand.read'] }),
  );
  return {
    lang: resolveLanguage(request),
    page,
    tags: brand ? await services.tags.list(brand.id) : null,
  };
}

export async function action({ params, request }: ActionFunctionArgs) {
  const { member, actor } = await requireMember(request, {
    brand: params.slug,
    atLeast: REQUIRED_ROLE['resources.manage'],
  });
  const form = await formAction(request);
  const brand = await memberBrand(member);
  const intent = field(form, 'intent');
  if (intent === 'create')
    return {
      intent,
      result: await services.tags.create(actor, brand.id, field(form, 'name')),
    } as const;
  if (intent === 'delete')
    return answer({
      intent,
      result: await services.tags.delete(actor, brand.id, field(form, 'id')),
    } as const);
  throw data({ reason: 'bad-intent' }, { status: 400 });
}

function CreateTagForm() {
  const { t } = useTranslation('resources');
  const actionData = useActionData<typeof action>();
  const formRef = useRef<HTMLFormElement>(null);
  const submitting = useSubmitting('create');
  const result = actionData?.intent === 'create' ? actionData.result : undefined;
  const problems = result && !result.ok ? result.problems : undefined;
  const nameProblem = fieldProblem(problems, 'name');
  useEffect(() => {
    if (result?.ok) formRef.current?.reset();
  }, [result]);
  return (
    <div className="res-card">
      <h3>{t('tags.create.heading')}</h3>
      {result?.ok ? (
        <SuccessNotice>{t('tags.create.done', { name: result.tag.name })}</SuccessNotice>
      ) : null}
      <ProblemNotice problems={problems} exceptFields />
      <Form method="post" className="res-form" ref={formRef}>
        <input type="hidden" name="intent" value="create" />
        <div className="res-field">
          <label htmlFor="tag-name">{t('tags.create.name')}</label>
          <input
            id="tag-name"
            name="name"
            type="text"
            required
            autoComplete="off"
            aria-invalid={nameProblem ? true : undefined}
            aria-describedby={nameProblem ? 'tag-name-error' : 'tag-name-hint'}
          />
          <span className="res-field__hint" id="tag-name-hint">
            {t('tags.create.hint', { max: TAG_NAME_MAX_BYTES })}
          </span>
          <FieldError id="tag-name-error" problem={nameProblem} />
        </div>
        <button type="submit" className="button" disabled={submitting}>
          {submitting ? t('common.working') : t('tags.create.submit')}
        </button>
      </Form>
    </div>
  );
}

export default function TagsPage() {
  const { t } = useTranslation('resources');
  const { page, tags, lang } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const deleted = actionData?.intent === 'delete' ? actionData.result : undefined;
  return (
    <ResourcePage title={t('tags.title')} page={page}>
      {tags ? (
        <>
          <section className="res-section" aria-labelledby="user-tags">
            <h2 id="user-tags">{t('tags.user.heading')}</h2>
            <p className="res-lead">{t('tags.user.lead')}</p>
            <div className="res-budget">
              <meter
                min={0}
                max={tags.budget.limit}
                value={tags.budget.used}
                high={90}
                optimum={0}
                aria-labelledby="tag-budget"
              />
              <span id="tag-budget">
                {t('tags.budget', { used: tags.budget.used, limit: tags.budget.limit })}
              </span>
            </div>
            {deleted?.ok ? (
              <SuccessNotice>{t('tags.deleted', { name: deleted.name })}</SuccessNotice>
            ) : null}
            {deleted && !deleted.ok ? <ProblemNotice problems={deleted.problems} /> : null}
            <CreateTagForm />
            <TagsTable
              tags={tags.user}
              lang={lang}
              deletable
              caption={t('tags.user.heading')}
              empty={t('tags.user.empty')}
            />
          </section>
          <section className="res-section" aria-labelledby="menu-tags">
            <h2 id="menu-tags">{t('tags.menu.heading')}</h2>
            <p className="res-lead">{t('tags.menu.lead')}</p>
            <TagsTable
              tags={tags.menu}
              lang={lang}
              deletable={false}
              caption={t('tags.menu.heading')}
              empty={t('tags.menu.empty')}
            />
          </section>
        </>
      ) : null}
    </ResourcePage>
  );
}

export function ErrorBoundary() {
  return <ErrorView />;
}
