import { Form } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '~/i18n/config';
import type { GenerateOutcome, ImportOutcome, PoolRow } from '../../../services/coupons/index';
import { CODE_LENGTH, MAX_GENERATE, MAX_IMPORT_CODES } from '../../../services/resources/limits';
import type { Result } from '../../../services/resources/problems';
import type { CouponExpiry } from '~/lib/engine';
import { ExpiryBadge, ExpiryFields, NoExpiryNote } from './expiry-fields';
import { FieldError, ProblemNotice, SuccessNotice, fieldProblem } from './problems';
import { useSubmitting } from './use-action-state';

export type PoolActionData =
  | { intent: 'generate'; poolId: string; result: Result<GenerateOutcome> }
  | { intent: 'import'; poolId: string; result: Result<ImportOutcome> }
  | {
      intent: 'expiry';
      poolId: string;
      result: Result<{ pool: string; expiry: CouponExpiry | null }>;
    };

const SHOWN_INVALID_LINES = 10;

function Outcome({ data, lang }: { data: PoolActionData; lang: Language }) {
  const { t } = useTranslation('resources');
  const n = new Intl.NumberFormat(lang);
  const { result } = data;
  if (!result.ok) return <ProblemNotice problems={result.problems} exceptFields />;
  if (data.intent === 'generate' && 'ms' in result) {
    return (
      <SuccessNotice>
        {t('coupons.generate.done', {
          count: result.added,
          added: n.format(result.added),
          seconds: (result.ms / 1000).toFixed(1),
        })}
      </SuccessNotice>
    );
  }
  if (data.intent === 'expiry' && 'expiry' in result) {
    return <SuccessNotice>{t('coupons.expiry.saved', { name: result.pool })}</SuccessNotice>;
  }
  if ('invalid' in result) {
    return (
      <div className="res-notice res-notice--ok" role="status">
        <p>{t('coupons.import.done', { count: result.added, added: n.format(result.added) })}</p>
        {result.duplicates > 0 ? (
          <p>
            {t('coupons.import.duplicates', {
              count: result.duplicates,
              duplicates: n.format(result.duplicates),
            })}
          </p>
        ) : null}
        {result.invalid.length > 0 ? (
          <>
            <p>
              {t('coupons.import.invalid', {
                count: result.invalid.length,
                invalid: n.format(result.invalid.length),
              })}
            </p>
            <ul>
              {result.invalid.slice(0, SHOWN_INVALID_LINES).map((line) => (
                <li key={line.line}>
                  {t('coupons.import.invalidLine', { line: line.line, value: line.value })}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </div>
    );
  }
  return null;
}

export function PoolCard({
  pool,
  lang,
  timezone,
  actionData,
}: {
  pool: PoolRow;
  lang: Language;
  timezone: string;
  actionData: PoolActionData | undefined;
}) {
  const { t } = useTranslation('resources');
  const n = new Intl.NumberFormat(lang);
  const generating = useSubmitting('generate', pool.id);
  const importing = useSubmitting('import', pool.id);
  const [count, setCount] = useState('1000');
  const importRef = useRef<HTMLFormElement>(null);
  const problems = actionData && !actionData.result.ok ? actionData.result.problems : undefined;
  const countProblem =
    actionData?.intent === 'generate' ? fieldProblem(problems, 'count') : undefined;
  const fileProblem = actionData?.intent === 'import' ? fieldProblem(problems, 'file') : undefined;
  const savingExpiry = useSubmitting('expiry', pool.id);
  const expiryProblems = actionData?.intent === 'expiry' ? problems : undefined;
  const importedOk = actionData?.intent === 'import' && actionData.result.ok;
  useEffect(() => {
    if (importedOk) importRef.current?.reset();
  }, [importedOk, actionData]);
  const id = `pool-${pool.id}`;
  return (
    <article className="res-card" aria-labelledby={`${id}-name`}>
      <h3 id={`${id}-name`}>{pool.name}</h3>
      {pool.description ? <p className="muted">{pool.description}</p> : null}
      <p className="res-budget" aria-label={t('coupons.pools.countsLabel', { name: pool.name })}>
        <span className={`res-badge ${pool.available > 0 ? 'res-badge--ok' : 'res-badge--warn'}`}>
          {t('coupons.pools.remaining', { n: n.format(pool.available) })}
        </span>
        <span>{t('coupons.pools.issued', { n: n.format(pool.issued) })}</span>
        <span>{t('coupons.pools.total', { n: n.format(pool.total) })}</span>
        <ExpiryBadge expiry={pool.expiry} />
      </p>
      {pool.expiry ? null : <NoExpiryNote />}
      {actionData ? <Outcome data={actionData} lang={lang} /> : null}
      <div className="res-form">
        <Form method="post" className="res-form">
          <input type="hidden" name="intent" value="generate" />
          <input type="hidden" name="id" value={pool.id} />
          <div className="res-field">
            <label htmlFor={`${id}-count`}>{t('coupons.generate.count')}</label>
            <input
              id={`${id}-count`}
              name="count"
              type="number"
              min={1}
              max={MAX_GENERATE}
              step={1}
              required
              value={count}
              onChange={(e) => setCount(e.currentTarget.value)}
              aria-invalid={countProblem ? true : undefined}
              aria-describedby={`${id}-count-hint`}
            />
            <span className="res-field__hint" id={`${id}-count-hint`}>
              {t('coupons.generate.hint', {
                max: n.format(MAX_GENERATE),
                length: CODE_LENGTH.default,
              })}
            </span>
            <FieldError id={`${id}-count-error`} problem={countProblem} />
          </div>
          <button type="submit" className="button" disabled={generating}>
            {generating
              ? t('coupons.generate.working', { n: n.format(Number(count) || 0) })
              : t('coupons.generate.submit')}
          </button>
        </Form>
        <Form method="post" className="res-form">
          <input type="hidden" name="intent" value="expiry" />
          <input type="hidden" name="id" value={pool.id} />
          <ExpiryFields
            idPrefix={id}
            initial={pool.expiry}
            timezone={timezone}
            problems={expiryProblems}
          />
          <button type="submit" className="button button--secondary" disabled={savingExpiry}>
            {savingExpiry ? t('common.working') : t('coupons.expiry.save')}
          </button>
        </Form>
        <Form method="post" encType="multipart/form-data" className="res-form" ref={importRef}>
          <input type="hidden" name="intent" value="import" />
          <input type="hidden" name="id" value={pool.id} />
          <div className="res-field">
            <label htmlFor={`${id}-file`}>{t('coupons.import.file')}</label>
            <input
              id={`${id}-file`}
              name="file"
              type="file"
              accept=".csv,.txt,text/csv,text/plain"
              required
              aria-invalid={fileProblem ? true : undefined}
              aria-describedby={`${id}-file-hint`}
            />
            <span className="res-field__hint" id={`${id}-file-hint`}>
              {t('coupons.import.hint', { max: n.format(MAX_IMPORT_CODES) })}
            </span>
            <FieldError id={`${id}-file-error`} problem={fileProblem} />
          </div>
          <button type="submit" className="button button--secondary" disabled={importing}>
            {importing ? t('common.working') : t('coupons.import.submit')}
          </button>
        </Form>
      </div>
    </article>
  );
}
