import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_EXPIRY_DAYS, type CouponExpiry } from '~/lib/engine';
import type { Problem } from '../../../services/resources/problems';
import { FieldError, fieldProblem } from './problems';

type Mode = 'none' | 'date' | 'days';

const VARIABLE = '{{coupon.expiresAt}}';

/**
 * When a pool's codes expire: never, through a last day, or a number of days after issue.
 * Submits `expiry` (none | date | days), `expiresOn` (YYYY-MM-DD) and `expiresAfterDays`.
 */
export function ExpiryFields({
  idPrefix,
  initial,
  timezone,
  problems,
}: {
  idPrefix: string;
  initial: CouponExpiry | null;
  timezone: string;
  problems: Problem[] | undefined;
}) {
  const { t } = useTranslation('resources');
  const [mode, setMode] = useState<Mode>(initial?.kind ?? 'none');
  const dateProblem = fieldProblem(problems, 'expiresOn');
  const daysProblem = fieldProblem(problems, 'expiresAfterDays');
  const modeProblem = fieldProblem(problems, 'expiry');
  const radio = (value: Mode) => (
    <label>
      <input
        type="radio"
        name="expiry"
        value={value}
        checked={mode === value}
        onChange={() => setMode(value)}
      />{' '}
      {t(`coupons.expiry.${value}`)}
    </label>
  );
  return (
    <>
      <fieldset className="res-field res-radios" aria-describedby={`${idPrefix}-expiry-hint`}>
        <legend>{t('coupons.expiry.legend')}</legend>
        {radio('none')}
        {radio('date')}
        {radio('days')}
        <FieldError id={`${idPrefix}-expiry-error`} problem={modeProblem} />
      </fieldset>
      {mode === 'date' ? (
        <div className="res-field">
          <label htmlFor={`${idPrefix}-expires-on`}>{t('coupons.expiry.dateLabel')}</label>
          <input
            id={`${idPrefix}-expires-on`}
            name="expiresOn"
            type="date"
            required
            defaultValue={initial?.kind === 'date' ? initial.date : undefined}
            aria-invalid={dateProblem ? true : undefined}
            aria-describedby={`${idPrefix}-expires-on-hint${dateProblem ? ` ${idPrefix}-expires-on-error` : ''}`}
          />
          <span className="res-field__hint" id={`${idPrefix}-expires-on-hint`}>
            {t('coupons.expiry.dateHint', { timezone })}
          </span>
          <FieldError id={`${idPrefix}-expires-on-error`} problem={dateProblem} />
        </div>
      ) : null}
      {mode === 'days' ? (
        <div className="res-field">
          <label htmlFor={`${idPrefix}-expires-days`}>{t('coupons.expiry.daysLabel')}</label>
          <input
            id={`${idPrefix}-expires-days`}
            name="expiresAfterDays"
            type="number"
            step={1}
            required
            defaultValue={initial?.kind === 'days' ? initial.days : 30}
            aria-invalid={daysProblem ? true : undefined}
            aria-describedby={`${idPrefix}-expires-days-hint${daysProblem ? ` ${idPrefix}-expires-days-error` : ''}`}
          />
          <span className="res-field__hint" id={`${idPrefix}-expires-days-hint`}>
            {t('coupons.expiry.daysHint', { max: MAX_EXPIRY_DAYS })}
          </span>
          <FieldError id={`${idPrefix}-expires-days-error`} problem={daysProblem} />
        </div>
      ) : null}
      <p className="res-field__hint" id={`${idPrefix}-expiry-hint`}>
        {t('coupons.expiry.shown', { variable: VARIABLE, example: '2026-12-31' })}
      </p>
    </>
  );
}

/** The pool's expiry at a glance; without one, what `{{coupon.expiresAt}}` will show. */
export function ExpiryBadge({ expiry }: { expiry: CouponExpiry | null }) {
  const { t } = useTranslation('resources');
  if (!expiry)
    return <span className="res-badge res-badge--warn">{t('coupons.expiry.badgeNone')}</span>;
  return (
    <span className="res-badge">
      {expiry.kind === 'date'
        ? t('coupons.expiry.badgeDate', { date: expiry.date })
        : t('coupons.expiry.badgeDays', { count: expiry.days })}
    </span>
  );
}

export function NoExpiryNote() {
  const { t } = useTranslation('resources');
  return <p className="muted">{t('coupons.expiry.badgeNoneHint', { variable: VARIABLE })}</p>;
}
