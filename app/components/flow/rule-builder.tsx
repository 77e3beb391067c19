/**
 * The visual rule editor: react-querybuilder over the engine's facts and operators, reading
 * and writing json-rules-engine JSON. With `estimate`, it asks the server how many of the
 * brand's followers currently match ("~N followers match").
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  QueryBuilder,
  type Field as QbField,
  type RuleGroupType,
  type Translations,
} from 'react-querybuilder';
import { useTranslation } from 'react-i18next';
import { canonicalJson, Rules, type RuleCondition } from '~/lib/engine';
import { followerOnly, fromQuery, OPERATORS_BY_TYPE, RULE_FIELDS, toQuery } from '~/lib/rules-qb';
import { FieldIssues, useEditorContext, useIssuesAt } from './fields';
import { useFieldLabel } from './labels';
import { flowEndpoint } from '~/lib/paths';

interface Props {
  label?: string;
  /** JSON path of the condition relative to the config (for its issues). */
  path: string;
  value: RuleCondition | undefined;
  onChange(value: RuleCondition): void;
  /** Restrict to follower facts (audiences are selected in SQL over followers). */
  followerFactsOnly?: boolean;
  estimate?: boolean;
}

function useTranslations(): Partial<Translations> {
  const { t } = useTranslation();
  return useMemo(
    () => ({
      fields: { title: t('editor.rules.qb.field') },
      operators: { title: t('editor.rules.qb.operator') },
      value: { title: t('editor.rules.qb.value') },
      removeRule: { label: '×', title: t('editor.rules.qb.removeRule') },
      removeGroup: { label: '×', title: t('editor.rules.qb.removeGroup') },
      addRule: { label: t('editor.rules.qb.addRule'), title: t('editor.rules.qb.addRule') },
      addGroup: { label: t('editor.rules.qb.addGroup'), title: t('editor.rules.qb.addGroup') },
      combinators: { title: t('editor.rules.qb.combinator') },
      notToggle: { label: t('editor.rules.qb.not'), title: t('editor.rules.qb.notTitle') },
    }),
    [t],
  );
}

export function RuleBuilder({
  label: explicit,
  path,
  value,
  onChange,
  followerFactsOnly,
  estimate,
}: Props) {
  const { t } = useTranslation();
  const label = useFieldLabel(path, explicit);
  const { readOnly } = useEditorContext();
  const translations = useTranslations();
  const issues = useIssuesAt(path);

  // The builder keeps its own ids: hold its query locally, and re-read the document only
  // when it changed from elsewhere (undo, import).
  const external = canonicalJson(value ?? null);
  const [query, setQuery] = useState<RuleGroupType>(() => toQuery(value));
  const emitted = useRef(external);
  useEffect(() => {
    if (external !== emitted.current) {
      emitted.current = external;
      setQuery(toQuery(value));
    }
  }, [external, value]);

  const fields = useMemo<QbField[]>(
    () =>
      RULE_FIELDS.filter((f) => !followerFactsOnly || f.fact === 'follower').map((f) => ({
        name: f.name,
        label: `${t(`editor.rules.facts.${f.fact}`)} · ${t(`editor.rules.fields.${f.labelKey}` as 'editor.rules.fields.follower_city')}`,
        operators: OPERATORS_BY_TYPE[f.type].map((op) => ({
          name: op,
          value: op,
          label: t(`editor.rules.operators.${op}`),
        })),
        ...(f.type === 'boolean'
          ? {
              valueEditorType: 'select' as const,
              values: [
                { name: 'true', value: 'true', label: t('editor.rules.true') },
                { name: 'false', value: 'false', label: t('editor.rules.false') },
              ],
              defaultValue: 'true',
            }
          : { placeholder: t(`editor.rules.placeholders.${f.type}`) }),
      })),
    [t, followerFactsOnly],
  );
  const combinators = useMemo(
    () => [
      { name: 'and', value: 'and', label: t('editor.rules.all') },
      { name: 'or', value: 'or', label: t('editor.rules.any') },
    ],
    [t],
  );

  return (
    <div className="field rule-builder" data-path={path}>
      <span className="field__label">{label}</span>
      <QueryBuilder
        fields={fields}
        combinators={combinators}
        query={query}
        translations={translations}
        showNotToggle
        resetOnFieldChange
        disabled={readOnly}
        onQueryChange={(q) => {
          setQuery(q);
          const next = fromQuery(q);
          const json = canonicalJson(next);
          if (json === emitted.current) return;
          emitted.current = json;
          onChange(next);
        }}
      />
      <FieldIssues issues={issues} />
      {estimate ? <AudienceEstimate rules={value} /> : null}
    </div>
  );
}

type Estimate =
  | { state: 'idle' | 'loading' }
  | { state: 'count'; count: number }
  | { state: 'unavailable'; reason: string; message?: string };

function AudienceEstimate({ rules }: { rules: RuleCondition | undefined }) {
  const { t, i18n } = useTranslation();
  const { flowId, brandSlug } = useEditorContext();
  const [estimate, setEstimate] = useState<Estimate>({ state: 'idle' });
  const key = canonicalJson(rules ?? null);
  useEffect(() => {
    const parsed = Rules.safeParse(rules);
    if (!parsed.success) {
      setEstimate({ state: 'unavailable', reason: 'invalidRules' });
      return;
    }
    if (!followerOnly(parsed.data)) {
      setEstimate({ state: 'unavailable', reason: 'notCountable' });
      return;
    }
    const controller = new AbortController();
    setEstimate({ state: 'loading' });
    const timer = setTimeout(() => {
      fetch(flowEndpoint(brandSlug, flowId, 'audience'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ rules: parsed.data }),
        signal: controller.signal,
      })
        .then(
          (r) =>
            r.json() as Promise<{ ok: boolean; count?: number; error?: string; message?: string }>,
        )
        .then((body) =>
          setEstimate(
            body.ok
              ? { state: 'count', count: body.count ?? 0 }
              : {
                  state: 'unavailable',
                  reason: body.error ?? 'failed',
                  ...(body.message ? { message: body.message } : {}),
                },
          ),
        )
        .catch((error: unknown) => {
          if ((error as Error).name !== 'AbortError')
            setEstimate({ state: 'unavailable', reason: 'failed' });
        });
    }, 500);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
    // The key stands for the rules' content.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, flowId, brandSlug]);
  const n =
    estimate.state === 'count' ? new Intl.NumberFormat(i18n.language).format(estimate.count) : '';
  return (
    <p className="audience-estimate" role="status" data-testid="audience-estimate">
      {estimate.state === 'count' ? t('editor.rules.estimate', { n }) : null}
      {estimate.state === 'loading' ? t('editor.rules.estimating') : null}
      {estimate.state === 'unavailable'
        ? (estimate.message ??
          t(
            estimate.reason === 'notCountable'
              ? 'editor.rules.notCountable'
              : estimate.reason === 'invalidRules'
                ? 'editor.rules.incomplete'
                : 'editor.rules.estimateFailed',
          ))
        : null}
    </p>
  );
}
