/**
 * Brand settings: the time zone and the brand-wide frequency cap. Loader and action go
 * through `brand-settings.server.ts`; a refused form keeps what was typed and changes nothing.
 */
import { type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useState } from 'react';
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
import { useSubmitting } from '~/components/resources/use-action-state';
import {
  CAP_UNITS,
  COMMON_TIMEZONES,
  type BrandSettings,
} from '../../services/brands/settings-form';
import { formAction } from '~/lib/http/guard.server';
import { requireMember } from '~/lib/auth.server';
import { brandPage, field, memberBrand } from '~/lib/resources/context.server';
import { services } from '~/lib/services.server';
import { REQUIRED_ROLE } from '../../services/members/roles';

export const links = resourceLinks;
export const meta = resourceMeta('settings.title');

export async function loader({ params, request }: LoaderFunctionArgs) {
  const { brand, page } = await brandPage(
    await requireMember(request, { brand: params.slug, atLeast: REQUIRED_ROLE['brand.read'] }),
  );
  return {
    page,
    settings: brand ? await services.brandSettings.load(brand.id) : null,
  };
}

export async function action({ params, request }: ActionFunctionArgs) {
  const { member, actor } = await requireMember(request, {
    brand: params.slug,
    atLeast: REQUIRED_ROLE['brand.manage'],
  });
  const form = await formAction(request);
  const brand = await memberBrand(member);
  return services.brandSettings.save(actor, brand.id, {
    timezone: field(form, 'timezone'),
    capEnabled: field(form, 'capEnabled'),
    capMax: field(form, 'capMax'),
    capEvery: field(form, 'capEvery'),
    capUnit: field(form, 'capUnit'),
  });
}

/** `3d` → { every: 3, unit: 'd' } for the form's two fields. */
function splitPer(per: string | undefined): { every: string; unit: string } {
  const m = per ? /^(\d+)([a-z])$/.exec(per) : null;
  return m ? { every: m[1]!, unit: m[2]! } : { every: '1', unit: 'd' };
}

function CapSummary({ cap }: { cap: BrandSettings['frequencyCap'] }) {
  const { t } = useTranslation('resources');
  if (!cap) return <p className="res-lead">{t('settings.cap.none')}</p>;
  const { every, unit } = splitPer(cap.per);
  return (
    <p className="res-lead" data-testid="cap-summary">
      {t('settings.cap.current', {
        max: cap.max,
        every,
        unit: t(`settings.cap.units.${unit as (typeof CAP_UNITS)[number]}`),
      })}
    </p>
  );
}

function SettingsForm({ settings }: { settings: BrandSettings }) {
  const { t } = useTranslation('resources');
  const result = useActionData<typeof action>();
  const submitting = useSubmitting('save');
  const problems = result && !result.ok ? result.problems : undefined;
  const [capOn, setCapOn] = useState(settings.frequencyCap !== null);
  const per = splitPer(settings.frequencyCap?.per);
  const zoneProblem = fieldProblem(problems, 'timezone');
  const maxProblem = fieldProblem(problems, 'capMax');
  const everyProblem = fieldProblem(problems, 'capEvery');
  return (
    <Form method="post" className="res-form res-form--stacked">
      <input type="hidden" name="intent" value="save" />
      {result?.ok ? <SuccessNotice>{t('settings.saved')}</SuccessNotice> : null}
      <ProblemNotice problems={problems} exceptFields />
      <section className="res-section">
        <div className="res-field">
          <label htmlFor="settings-timezone">{t('settings.timezone.label')}</label>
          <input
            id="settings-timezone"
            name="timezone"
            type="text"
            list="settings-timezones"
            defaultValue={settings.timezone}
            required
            autoComplete="off"
            aria-invalid={zoneProblem ? true : undefined}
            aria-describedby={zoneProblem ? 'settings-timezone-error' : 'settings-timezone-hint'}
          />
          <datalist id="settings-timezones">
            {COMMON_TIMEZONES.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
          <span className="res-field__hint" id="settings-timezone-hint">
            {t('settings.timezone.hint')}
          </span>
          <FieldError id="settings-timezone-error" problem={zoneProblem} />
        </div>
      </section>
      <section className="res-section" aria-labelledby="settings-cap">
        <h2 id="settings-cap">{t('settings.cap.heading')}</h2>
        <p className="res-lead">{t('settings.cap.lead')}</p>
        {/* Remix reloads the loader after the action: `settings` is what is stored now. */}
        <CapSummary cap={settings.frequencyCap} />
        <div className="res-field res-field--inline">
          <input
            id="settings-cap-enabled"
            name="capEnabled"
            type="checkbox"
            value="on"
            checked={capOn}
            onChange={(event) => setCapOn(event.currentTarget.checked)}
          />
          <label htmlFor="settings-cap-enabled">{t('settings.cap.enabled')}</label>
        </div>
        <fieldset className="res-inline-fields" disabled={!capOn}>
          <legend className="visually-hidden">{t('settings.cap.heading')}</legend>
          <label htmlFor="settings-cap-max">{t('settings.cap.max')}</label>
          <input
            id="settings-cap-max"
            name="capMax"
            type="number"
            min={1}
            max={1000}
            defaultValue={settings.frequencyCap?.max ?? 3}
            aria-invalid={maxProblem ? true : undefined}
            aria-describedby={maxProblem ? 'settings-cap-max-error' : undefined}
          />
          <span>{t('settings.cap.maxUnit')}</span>
          <label htmlFor="settings-cap-every">{t('settings.cap.every')}</label>
          <input
            id="settings-cap-every"
            name="capEvery"
            type="number"
            min={1}
            defaultValue={per.every}
            aria-invalid={everyProblem ? true : undefined}
            aria-describedby={everyProblem ? 'settings-cap-every-error' : undefined}
          />
          <label htmlFor="settings-cap-unit" className="visually-hidden">
            {t('settings.cap.unit')}
          </label>
          <select id="settings-cap-unit" name="capUnit" defaultValue={per.unit}>
            {CAP_UNITS.map((unit) => (
              <option key={unit} value={unit}>
                {t(`settings.cap.units.${unit}`)}
              </option>
            ))}
          </select>
        </fieldset>
        <FieldError id="settings-cap-max-error" problem={maxProblem} />
        <FieldError id="settings-cap-every-error" problem={everyProblem} />
      </section>
      <button type="submit" className="button" disabled={submitting}>
        {submitting ? t('common.working') : t('settings.submit')}
      </button>
    </Form>
  );
}

export default function SettingsPage() {
  const { t } = useTranslation('resources');
  const { page, settings } = useLoaderData<typeof loader>();
  return (
    <ResourcePage title={t('settings.title')} page={page}>
      <p className="res-lead">{t('settings.lead')}</p>
      {settings ? <SettingsForm settings={settings} /> : null}
    </ResourcePage>
  );
}

export function ErrorBoundary() {
  return <ErrorView />;
}
