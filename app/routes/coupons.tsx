import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorView } from '~/components/error-view';
import { PoolCard, type PoolActionData } from '~/components/resources/pool-card';
import {
  FieldError,
  ProblemNotice,
  SuccessNotice,
  fieldProblem,
} from '~/components/resources/problems';
import { ResourcePage } from '~/components/resources/resource-page';
import { resourceLinks, resourceMeta } from '~/components/resources/route-exports';
import { useSubmitting } from '~/components/resources/use-action-state';
import { resolveLanguage } from '~/i18n/language.server';
import { createPool, generateCodes, importCodes, listPools } from '~/lib/coupons.server';
import { brandOf, field, requireBrand, resourceDeps } from '~/lib/resources/context.server';
import { MAX_IMPORT_BYTES } from '~/lib/resources/limits';
import { problem, refuse } from '~/lib/resources/problems';

export const links = resourceLinks;
export const meta = resourceMeta('coupons.title');

export async function loader({ request }: LoaderFunctionArgs) {
  const { brand, page } = await brandOf(request);
  return {
    lang: resolveLanguage(request),
    page,
    pools: brand ? await listPools(resourceDeps.db, brand.id) : null,
  };
}

/** Multipart bodies beyond the CSV limit (plus room for the other fields) are not read at all. */
const MAX_BODY_BYTES = MAX_IMPORT_BYTES + 64 * 1024;

export async function action({ request }: ActionFunctionArgs) {
  const brand = await requireBrand(request);
  const { db } = resourceDeps;
  if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) {
    return {
      intent: 'import',
      poolId: '',
      result: refuse(
        problem('pool_file_too_large', { maxMb: MAX_IMPORT_BYTES / 1024 / 1024 }, 'file'),
      ),
    } as const;
  }
  const form = await request.formData();
  const intent = field(form, 'intent');
  const poolId = field(form, 'id');
  switch (intent) {
    case 'create':
      return {
        intent,
        result: await createPool(db, brand.id, {
          name: field(form, 'name'),
          description: field(form, 'description'),
        }),
      } as const;
    case 'generate': {
      const count = Number(field(form, 'count'));
      return {
        intent,
        poolId,
        result: await generateCodes(db, brand.id, poolId, { count }),
      } as const;
    }
    case 'import': {
      const file = form.get('file');
      const upload =
        file instanceof File && file.size > 0
          ? { text: await file.text(), bytes: file.size }
          : null;
      return { intent, poolId, result: await importCodes(db, brand.id, poolId, upload) } as const;
    }
    default:
      throw data({ reason: 'bad-intent' }, { status: 400 });
  }
}

function CreatePoolForm() {
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
      <h3>{t('coupons.create.heading')}</h3>
      {result?.ok ? (
        <SuccessNotice>{t('coupons.create.done', { name: result.pool.name })}</SuccessNotice>
      ) : null}
      <ProblemNotice problems={problems} exceptFields />
      <Form method="post" className="res-form" ref={formRef}>
        <input type="hidden" name="intent" value="create" />
        <div className="res-field">
          <label htmlFor="pool-name">{t('coupons.create.name')}</label>
          <input
            id="pool-name"
            name="name"
            type="text"
            required
            autoComplete="off"
            aria-invalid={nameProblem ? true : undefined}
            aria-describedby={nameProblem ? 'pool-name-error' : 'pool-name-hint'}
          />
          <span className="res-field__hint" id="pool-name-hint">
            {t('coupons.create.nameHint')}
          </span>
          <FieldError id="pool-name-error" problem={nameProblem} />
        </div>
        <div className="res-field">
          <label htmlFor="pool-description">{t('coupons.create.description')}</label>
          <input id="pool-description" name="description" type="text" autoComplete="off" />
        </div>
        <button type="submit" className="button" disabled={submitting}>
          {submitting ? t('common.working') : t('coupons.create.submit')}
        </button>
      </Form>
    </div>
  );
}

export default function CouponsPage() {
  const { t } = useTranslation('resources');
  const { page, pools, lang } = useLoaderData<typeof loader>();
  const submitted = useActionData<typeof action>();
  const actionData =
    submitted && submitted.intent !== 'create' ? (submitted as PoolActionData) : undefined;
  // Refusals about no pool of this page (a file too large to read, a pool of another brand).
  const stray =
    actionData && !actionData.result.ok && !pools?.some((p) => p.id === actionData.poolId)
      ? actionData.result.problems
      : undefined;
  return (
    <ResourcePage title={t('coupons.title')} page={page}>
      {pools ? (
        <>
          <section className="res-section" aria-labelledby="pools-heading">
            <h2 id="pools-heading">{t('coupons.pools.heading')}</h2>
            <p className="res-lead">{t('coupons.pools.lead')}</p>
            <CreatePoolForm />
            <ProblemNotice problems={stray} />
            {pools.length === 0 ? <p className="muted">{t('coupons.pools.empty')}</p> : null}
            {pools.map((pool) => (
              <PoolCard
                key={pool.id}
                pool={pool}
                lang={lang}
                actionData={actionData?.poolId === pool.id ? actionData : undefined}
              />
            ))}
          </section>
        </>
      ) : null}
    </ResourcePage>
  );
}

export function ErrorBoundary() {
  return <ErrorView />;
}
