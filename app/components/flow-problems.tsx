import { useTranslation } from 'react-i18next';
import type { Language } from '~/i18n/config';
import type { FlowProblem } from '~/lib/flow-problems';
import { formatDateTime } from '~/lib/format';

const SWEEP_REASONS = [
  'invalid_rules',
  'query_failed',
  'timed_out',
  'unavailable',
  'internal',
] as const;
const WEBHOOK_PLACES = ['private', 'loopback', 'metadata'] as const;
const oneOf = <T extends string>(list: readonly T[], value: string, fallback: T): T =>
  list.includes(value as T) ? (value as T) : fallback;

/** One sentence per problem, in the reader's language: which step, what happened, what to do. */
export function useProblemText(lang: Language, timezone: string) {
  const { t } = useTranslation();
  return (p: FlowProblem): string => {
    const step =
      p.label ?? (p.kind ? t(`editor.kinds.${p.kind}.title`, { defaultValue: p.kind }) : p.nodeId);
    const when = p.day ?? (p.at ? formatDateTime(new Date(p.at), lang, timezone) : '');
    if (p.type === 'sweep') {
      return t(`flowProblems.sweep.${oneOf(SWEEP_REASONS, p.reason, 'internal')}`, {
        step,
        when,
        detail: p.text ? p.text[lang] : '',
        code: p.sqlstate ?? '—',
      });
    }
    const where = t(`flowProblems.webhook.where.${oneOf(WEBHOOK_PLACES, p.reason, 'private')}`);
    return t('flowProblems.webhook.refused', {
      step,
      host: p.host ?? '',
      address: p.address ?? '',
      where,
      count: p.count,
      when,
    });
  };
}

/** The problems of one flow, as a short list (flows list) or a banner (flow page). */
export function FlowProblems({
  problems,
  lang,
  timezone,
  variant,
}: {
  problems: FlowProblem[];
  lang: Language;
  timezone: string;
  variant: 'row' | 'banner';
}) {
  const { t } = useTranslation();
  const text = useProblemText(lang, timezone);
  if (problems.length === 0) return null;
  return (
    <div
      className={`flow-problems flow-problems--${variant}`}
      role="note"
      aria-label={t('flowProblems.heading')}
      data-testid="flow-problems"
    >
      {variant === 'banner' ? <strong>{t('flowProblems.heading')}</strong> : null}
      <ul>
        {problems.map((p) => (
          <li key={`${p.type}:${p.nodeId}`} data-problem={`${p.type}:${p.reason}`}>
            {text(p)}
          </li>
        ))}
      </ul>
    </div>
  );
}
