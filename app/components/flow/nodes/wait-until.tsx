import type { NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import { TimeField, useEditorContext, useIssuesAt, FieldIssues, withField } from '../fields';
import { useFieldLabel } from '../labels';
import { NodeShell, type FlowRfNode } from '../node-shell';
import { configOf, defineNodeUi, type PanelProps } from './types';

type Config = { at?: string; weekdays?: number[] };
const DAYS = [1, 2, 3, 4, 5, 6, 7] as const;

function UntilNode(props: NodeProps<FlowRfNode>) {
  const { t } = useTranslation();
  const c = configOf<Config>(props.data);
  const days = c.weekdays?.length
    ? c.weekdays.map((d) => t(`editor.weekdays.short.${d as (typeof DAYS)[number]}`)).join(' ')
    : t('editor.summary.everyDay');
  const summary = c.at
    ? t('editor.summary.until', { at: c.at, days })
    : t('editor.summary.notConfigured');
  return <NodeShell {...props} kind="wait.until" icon="🕘" summary={summary} />;
}

function Panel({ config, onChange }: PanelProps<Config>) {
  const { t } = useTranslation();
  const { readOnly } = useEditorContext();
  const weekdays = config?.weekdays ?? [];
  const issues = useIssuesAt('weekdays');
  const weekdaysLabel = useFieldLabel('weekdays');
  const toggle = (d: number, on: boolean) => {
    const next = on ? [...weekdays, d].sort() : weekdays.filter((x) => x !== d);
    onChange(withField(config, 'weekdays', next.length ? next : undefined));
  };
  return (
    <>
      <TimeField
        path="at"
        value={config?.at}
        onChange={(v) => onChange(withField(config, 'at', v))}
      />
      <fieldset className="subform weekdays">
        <legend>{weekdaysLabel}</legend>
        {DAYS.map((d) => (
          <label key={d} className="weekday">
            <input
              type="checkbox"
              disabled={readOnly}
              checked={weekdays.includes(d)}
              onChange={(e) => toggle(d, e.target.checked)}
            />
            {t(`editor.weekdays.short.${d}`)}
          </label>
        ))}
        <FieldIssues issues={issues} />
      </fieldset>
    </>
  );
}

export const waitUntil = defineNodeUi({
  kind: 'wait.until',
  icon: '🕘',
  defaultConfig: () => ({ at: '09:00' }),
  Node: UntilNode,
  Panel,
});
