/**
 * /brands/<slug>/connection — the brand's WeChat Official Account credentials (admin+):
 * write-only secrets (the page shows only their masked forms; an empty field keeps the stored
 * one), the callback mode, "test connection", and the callback URL to paste into WeChat.
 */
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { ConnectionTest, SecretState } from '../../services/brands';
import {
  BrandAdminPage,
  CopyField,
  Field,
  FormProblems,
  brandAdminLinks,
  brandAdminMeta,
  problemText,
} from '~/components/brands/brand-admin';
import { ErrorView } from '~/components/error-view';
import { requireMember } from '~/lib/auth.server';
import { fieldProblem, type AuthProblem } from '~/lib/auth-problems';
import { textField } from '~/lib/auth-forms.server';
import { problemsOf } from '~/lib/brands/problems.server';
import { brandCallbackUrl } from '~/lib/brands/public-url.server';
import { formAction } from '~/lib/http/guard.server';
import { WECHAT_ERRCODES } from '../../services/resources/problems';
import { services } from '~/lib/services.server';

export const links = brandAdminLinks;
export const meta = brandAdminMeta('connection.title');

const MODES = ['plaintext', 'compatible', 'safe'] as const;
const FIELDS = ['appId', 'appSecret', 'token', 'aesKey', 'mode'];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requireMember(request, { brand: params.slug, atLeast: 'admin' });
  const view = await services.brands.connection(actor, params.slug ?? '');
  return { view, callbackUrl: brandCallbackUrl(request, view.brand.slug) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor } = await requireMember(request, { brand: params.slug, atLeast: 'admin' });
  const form = await formAction(request);
  const slug = params.slug ?? '';
  if (textField(form, 'intent') === 'test') {
    return { intent: 'test' as const, test: await services.brands.testConnection(actor, slug) };
  }
  // Only what is not secret comes back to refill the form: typed secrets are never echoed.
  const values = { appId: textField(form, 'appId'), mode: textField(form, 'mode') };
  try {
    await services.brands.setCredentials(actor, slug, {
      ...values,
      appSecret: textField(form, 'appSecret'),
      token: textField(form, 'token'),
      aesKey: textField(form, 'aesKey'),
    });
    return { intent: 'save' as const, ok: true as const };
  } catch (error) {
    return data(
      { intent: 'save' as const, ok: false as const, problems: problemsOf(error), values },
      { status: 400 },
    );
  }
}

function SecretField({
  name,
  label,
  hint,
  state,
  problems,
}: {
  name: 'appSecret' | 'token' | 'aesKey';
  label: string;
  hint?: string;
  state: SecretState;
  problems: AuthProblem[] | undefined;
}) {
  const { t } = useTranslation('brands');
  const stored = state.set ? t('connection.form.stored', { masked: state.masked }) : null;
  return (
    <Field
      id={`connection-${name}`}
      name={name}
      type="password"
      autoComplete="new-password"
      label={label}
      placeholder={state.masked ?? undefined}
      hint={
        <>
          <span className="secret-state" data-testid={`stored-${name}`}>
            {stored ?? t('connection.form.notStored')}
          </span>
          {hint ? <> {hint}</> : null}
        </>
      }
      problems={problems}
    />
  );
}

function TestResult({ test }: { test: ConnectionTest }) {
  const { t } = useTranslation('brands');
  const { t: tr } = useTranslation('resources');
  if (test.ok) {
    return (
      <div className="res-notice res-notice--ok" role="status" data-testid="test-result">
        <p>{t('connection.test.ok', { base: test.apiBase })}</p>
      </div>
    );
  }
  let sentence: string;
  if (test.reason === 'not_connected') sentence = t('connection.test.notConnected');
  else if (test.reason === 'unreachable')
    sentence = t('connection.test.unreachable', { base: test.apiBase, detail: test.detail });
  else {
    const known = (WECHAT_ERRCODES as readonly number[]).includes(test.errcode)
      ? tr(`wechat.e${test.errcode as (typeof WECHAT_ERRCODES)[number]}`)
      : tr('wechat.other', { errmsg: test.errmsg });
    sentence = t('connection.test.wechat', { sentence: known, errcode: test.errcode });
  }
  return (
    <div className="res-notice res-notice--error" role="alert" data-testid="test-result">
      <p>{sentence}</p>
    </div>
  );
}

export default function ConnectionPage() {
  const { t } = useTranslation('brands');
  const { t: ta } = useTranslation('auth');
  const { view, callbackUrl: url } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const submitting = navigation.state === 'submitting' ? navigation.formData?.get('intent') : null;
  const saved = result?.intent === 'save' ? result : undefined;
  const problems = saved && !saved.ok ? saved.problems : undefined;
  const values = saved && !saved.ok ? saved.values : undefined;
  const mode = values?.mode ?? view.mode;
  const modeProblem = fieldProblem(problems, 'mode');
  return (
    <BrandAdminPage title={t('connection.title')} brand={view.brand}>
      <p className="res-lead">{t('connection.lead')}</p>
      <p data-testid="connection-state">
        {view.connected
          ? t('connection.connected', { appId: view.appId })
          : t('connection.notConnected')}
      </p>

      <section className="res-section" aria-labelledby="callback-heading">
        <h2 id="callback-heading">{t('connection.callback.heading')}</h2>
        <p className="res-lead">{t('connection.callback.lead')}</p>
        <CopyField id="callback-url" label={t('connection.callback.label')} value={url} />
      </section>

      <section className="res-section" aria-labelledby="credentials-heading">
        <h2 id="credentials-heading">{t('connection.form.heading')}</h2>
        {saved?.ok ? (
          <div className="res-notice res-notice--ok" role="status">
            <p>{t('connection.saved')}</p>
          </div>
        ) : null}
        <FormProblems problems={problems} fields={FIELDS} />
        {/* A new key after saving empties the secret fields. */}
        <Form
          method="post"
          className="res-form res-form--stacked"
          key={saved?.ok ? `saved-${view.appSecret.masked}` : 'form'}
        >
          <input type="hidden" name="intent" value="save" />
          <Field
            id="connection-appId"
            name="appId"
            label={t('connection.form.appId')}
            hint={t('connection.form.appIdHint')}
            defaultValue={values?.appId ?? view.appId ?? ''}
            problems={problems}
            required
            maxLength={18}
          />
          <SecretField
            name="appSecret"
            label={t('connection.form.appSecret')}
            state={view.appSecret}
            problems={problems}
          />
          <SecretField
            name="token"
            label={t('connection.form.token')}
            hint={t('connection.form.tokenHint')}
            state={view.token}
            problems={problems}
          />
          <SecretField
            name="aesKey"
            label={t('connection.form.aesKey')}
            hint={t('connection.form.aesKeyHint')}
            state={view.aesKey}
            problems={problems}
          />
          <fieldset
            className="res-field res-radios"
            aria-invalid={modeProblem ? true : undefined}
            aria-describedby={modeProblem ? 'connection-mode-error' : undefined}
          >
            <legend>{t('connection.form.mode')}</legend>
            {MODES.map((m) => (
              <label key={m}>
                <input type="radio" name="mode" value={m} defaultChecked={mode === m} />{' '}
                {t(`connection.form.modes.${m}`)}
              </label>
            ))}
          </fieldset>
          {modeProblem ? (
            <span className="res-field__error" id="connection-mode-error">
              {problemText(ta, modeProblem)}
            </span>
          ) : null}
          <button type="submit" className="button" disabled={submitting === 'save'}>
            {submitting === 'save' ? t('common.working') : t('connection.form.submit')}
          </button>
        </Form>
      </section>

      <section className="res-section" aria-labelledby="test-heading">
        <h2 id="test-heading">{t('connection.test.heading')}</h2>
        <p className="res-lead">{t('connection.test.lead')}</p>
        {result?.intent === 'test' ? <TestResult test={result.test} /> : null}
        <Form method="post">
          <input type="hidden" name="intent" value="test" />
          <button
            type="submit"
            className="button button--secondary"
            disabled={submitting === 'test'}
          >
            {submitting === 'test' ? t('common.working') : t('connection.test.submit')}
          </button>
        </Form>
      </section>
    </BrandAdminPage>
  );
}

export function ErrorBoundary() {
  return <ErrorView />;
}
