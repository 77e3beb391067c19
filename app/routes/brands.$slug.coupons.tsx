import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
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
import { ExpiryFields } from '~/components/resources/expiry-fields';
import type { ExpiryInput } from '../../services/coupons/index';
import { formAction, refusedAs } from '~/lib/http/guard.server';
import { requireMember } from '~/lib/auth.server';
import { answer, brandPage, field, memberBrand } from '~/lib/resources/context.server';
import { services } from '~/lib/services.server';
import { MAX_IMPORT_BYTES } from '../../services/resources/limits';
import { problem, refuse } from '../../services/resources/problems';
import { REQUIRED_ROLE } from '../../services/members/roles';

export const links = resourceLinks;
export const meta = resourceMeta('coupons.title');

export async function loader({ params, request }: LoaderFunctionArgs) {
  const { brand, page } = await brandPage(
    await requireMember(request, { brand: params.slug, atLeast: REQUIRED_ROLE['brand.read'] }),
  );
  return {
    lang: resolveLanguage(request),
    page,
    pools: brand ? await services.coupons.list(brand.id) : null,
  };
}

/** Multipart bodies beyond the CSV limit (plus room for the other fields) are not read at all. */
const MAX_BODY_BYTES = MAX_IMPORT_BYTES + 64 * 1024;

export async function action({ params, request }: ActionFunctionArgs) {
  const { member, actor } = await requireMember(request, {
    brand: params.slug,
    atLeast: REQUIRED_ROLE['resources.manage'],
  });
  let form: FormData;
  try {
    form = await formAction(request, { maxBytes: MAX_BODY_BYTES });
  } catch (error) {
    // An oversized upload is the file field's problem, said next to it.
    if (!refusedAs(error, 'tooLarge')) throw error;
    return {
      intent: 'import',
      poolId: '',
      result: refuse(
        problem('pool_file_too_large', { maxMb: MAX_IMPORT_BYTES / 1024 / 1024 }, 'file'),
      ),
    } as const;
  }
  const brand = await memberBrand(member);
  const intent = field(form, 'intent');
  const poolId = field(form, 'id');
  const expiry: ExpiryInput = {
    mode: field(form, 'expiry'),
    date: field(form, 'expiresOn'),
    days: field(form, 'expiresAfterDays'),
  };
  switch (intent) {
    case 'create':
      return {
        intent,
        result: await services.coupons.create(actor, brand.id, {
          name: field(form, 'name'),
          description: field(form, 'description'),
          expiry,
          timeZone: brand.timezone,
        }),
      } as const;
    case 'expiry':
      return answer({
        intent,
        poolId,
        result: await services.coupons.setExpiry(brand.id, poolId, expiry, brand.timezone),
      } as const);
    case 'generate': {
      const count = Number(field(form, 'count'));
      return answer({
        intent,
        poolId,
        result: await services.coupons.generateCodes(brand.id, poolId, { count }),
      } as const);
    }
    case 'import': {
      const file = form.get('file');
      const upload =
        file instanceof File && file.size > 0
          ? { text: await file.text(), bytes: file.size }
          : null;
      return answer({
        intent,
        poolId,
        result: await services.coupons.importCodes(brand.id, poolId, upload),
      } as const);
    }
    default:
      throw data({ reason: 'bad-intent' }, { status: 400 });
  }
}

function CreatePoolForm({ timezone }: { timezone: string }) {
  const { t } = useTranslation('resources');
  const actionData = useActionData<typeof action>();
  const formRef = useRef<HTMLFormElement>(null);
  const submitting = useSubmitting('create');
  const result = actionData?.intent === 'create' ? actionData.result : undefined;
  const problems = result && !result.ok ? result.problems : undefined;
  const nameProblem = fieldProblem(problems, 'name');
  // A new key after each created pool: the form (expiry choice included) starts afresh.
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (result?.ok) {
      formRef.current?.reset();
      setGeneration((g) => g + 1);
    }
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
        <ExpiryFields
          key={generation}
          idPrefix="pool-new"
          initial={null}
          timezone={timezone}
          problems={problems}
        />
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
  const timezone = page.brand.timezone;
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
            <CreatePoolForm timezone={timezone} />
            <ProblemNotice problems={stray} />
            {pools.length === 0 ? <p className="muted">{t('coupons.pools.empty')}</p> : null}
            {pools.map((pool) => (
              <PoolCard
                key={pool.id}
                pool={pool}
                lang={lang}
                timezone={timezone}
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
