import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorView } from '~/components/error-view';
import {
  FieldError,
  ProblemNotice,
  SuccessNotice,
  fieldProblem,
} from '~/components/resources/problems';
import { QrCard } from '~/components/resources/qr-card';
import { ResourcePage } from '~/components/resources/resource-page';
import { resourceLinks, resourceMeta } from '~/components/resources/route-exports';
import { useSubmitting } from '~/components/resources/use-action-state';
import { resolveLanguage } from '~/i18n/language.server';
import { formAction } from '~/lib/http/guard.server';
import { formatDateTime } from '~/lib/format';
import { qrSvgDataUrl } from '../../services/qr/index';
import { requireMember } from '~/lib/auth.server';
import { brandPage, field, memberBrand } from '~/lib/resources/context.server';
import { services } from '~/lib/services.server';
import { QR_MAX_DAYS } from '../../services/resources/limits';
import { REQUIRED_ROLE } from '../../services/members/roles';

export const links = resourceLinks;
export const meta = resourceMeta('qr.title');

export async function loader({ params, request }: LoaderFunctionArgs) {
  const { brand, page } = await brandPage(
    await requireMember(request, { brand: params.slug, atLeast: REQUIRED_ROLE['brand.read'] }),
  );
  const lang = resolveLanguage(request);
  const channels = brand
    ? await Promise.all(
        (await services.qr.list(brand.id)).map(async (c) => ({
          ...c,
          image: await qrSvgDataUrl(c.url),
          createdAtLabel: formatDateTime(new Date(c.createdAt), lang, brand.timezone),
          expiresAtLabel: c.expiresAt
            ? formatDateTime(new Date(c.expiresAt), lang, brand.timezone)
            : null,
        })),
      )
    : null;
  return { lang, page, channels };
}

export async function action({ params, request }: ActionFunctionArgs) {
  const { member, actor } = await requireMember(request, {
    brand: params.slug,
    atLeast: REQUIRED_ROLE['resources.manage'],
  });
  const form = await formAction(request);
  const brand = await memberBrand(member);
  if (field(form, 'intent') !== 'create') throw data({ reason: 'bad-intent' }, { status: 400 });
  const kind = field(form, 'kind');
  const result = await services.qr.create(actor, brand.id, {
    name: field(form, 'name'),
    scene: field(form, 'scene'),
    kind,
    ...(kind === 'temporary' ? { days: Number(field(form, 'days')) } : {}),
  });
  return { intent: 'create', result } as const;
}

function CreateChannelForm() {
  const { t } = useTranslation('resources');
  const actionData = useActionData<typeof action>();
  const result = actionData?.result;
  const problems = result && !result.ok ? result.problems : undefined;
  const submitting = useSubmitting('create');
  const [kind, setKind] = useState<'permanent' | 'temporary'>('permanent');
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (result?.ok) {
      formRef.current?.reset();
      setKind('permanent');
    }
  }, [result]);
  const p = (name: string) => fieldProblem(problems, name);
  return (
    <div className="res-card">
      <h3>{t('qr.create.heading')}</h3>
      {result?.ok ? (
        <SuccessNotice>{t('qr.create.done', { scene: result.channel.scene })}</SuccessNotice>
      ) : null}
      <ProblemNotice problems={problems} exceptFields />
      <Form method="post" className="res-form" ref={formRef}>
        <input type="hidden" name="intent" value="create" />
        <div className="res-field">
          <label htmlFor="qr-name">{t('qr.create.name')}</label>
          <input
            id="qr-name"
            name="name"
            type="text"
            required
            autoComplete="off"
            aria-invalid={p('name') ? true : undefined}
            aria-describedby="qr-name-hint"
          />
          <span className="res-field__hint" id="qr-name-hint">
            {t('qr.create.nameHint')}
          </span>
          <FieldError id="qr-name-error" problem={p('name')} />
        </div>
        <div className="res-field">
          <label htmlFor="qr-scene">{t('qr.create.scene')}</label>
          <input
            id="qr-scene"
            name="scene"
            type="text"
            required
            maxLength={64}
            pattern="[A-Za-z0-9_.\-]{1,64}"
            autoComplete="off"
            aria-invalid={p('scene') ? true : undefined}
            aria-describedby="qr-scene-hint"
          />
          <span className="res-field__hint" id="qr-scene-hint">
            {t('qr.create.sceneHint')}
          </span>
          <FieldError id="qr-scene-error" problem={p('scene')} />
        </div>
        <fieldset className="res-field res-radios">
          <legend>{t('qr.create.kind')}</legend>
          <label>
            <input
              type="radio"
              name="kind"
              value="permanent"
              checked={kind === 'permanent'}
              onChange={() => setKind('permanent')}
            />{' '}
            {t('qr.kind.permanent')}
          </label>
          <label>
            <input
              type="radio"
              name="kind"
              value="temporary"
              checked={kind === 'temporary'}
              onChange={() => setKind('temporary')}
            />{' '}
            {t('qr.kind.temporary')}
          </label>
        </fieldset>
        {kind === 'temporary' ? (
          <div className="res-field">
            <label htmlFor="qr-days">{t('qr.create.days')}</label>
            <input
              id="qr-days"
              name="days"
              type="number"
              min={1}
              max={QR_MAX_DAYS}
              defaultValue={QR_MAX_DAYS}
              required
              aria-invalid={p('days') ? true : undefined}
              aria-describedby="qr-days-hint"
            />
            <span className="res-field__hint" id="qr-days-hint">
              {t('qr.create.daysHint', { max: QR_MAX_DAYS })}
            </span>
            <FieldError id="qr-days-error" problem={p('days')} />
          </div>
        ) : null}
        <button type="submit" className="button" disabled={submitting}>
          {submitting ? t('common.working') : t('qr.create.submit')}
        </button>
      </Form>
    </div>
  );
}

export default function QrPage() {
  const { t } = useTranslation('resources');
  const { page, channels, lang } = useLoaderData<typeof loader>();
  const slug = page.brand.slug;
  return (
    <ResourcePage title={t('qr.title')} page={page}>
      {channels ? (
        <section className="res-section" aria-labelledby="qr-heading">
          <h2 id="qr-heading">{t('qr.channels.heading')}</h2>
          <p className="res-lead">{t('qr.channels.lead')}</p>
          <CreateChannelForm />
          {channels.length === 0 ? <p className="muted">{t('qr.channels.empty')}</p> : null}
          <div className="qr-grid">
            {channels.map((channel) => (
              <QrCard key={channel.id} channel={channel} lang={lang} brandSlug={slug} />
            ))}
          </div>
        </section>
      ) : null}
    </ResourcePage>
  );
}

export function ErrorBoundary() {
  return <ErrorView />;
}
