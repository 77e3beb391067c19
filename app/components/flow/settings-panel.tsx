/**
 * The flow's own settings: name and description, re-entry, time zone, quiet hours,
 * frequency cap, the events that end a journey at once, and the conversion goal.
 */
import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { EventMatcher, Issue, Settings } from '~/lib/engine';
import { EventMatcherField } from './event-matcher-field';
import { CheckboxField, DurationField, Field, IssuesAtContext, NumberField, SelectField, TextField, TimeField, useEditorContext } from './fields';
import { issuesUnder } from './node-panel';
import type { EditorStore } from './store';

const ZONES = ['Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Taipei', 'Asia/Singapore', 'Asia/Tokyo', 'Europe/London', 'America/New_York', 'UTC'];
const REENTRY = ['once', 'after_exit', 'always'] as const;

export function SettingsPanel({ store, issues }: { store: EditorStore; issues: readonly Issue[] }) {
  const { t } = useTranslation();
  const { readOnly } = useEditorContext();
  const doc = useStore(store, (s) => s.doc);
  const dispatch = store.getState().dispatch;
  const settings: Settings = doc.settings ?? {};
  const byPath = useMemo(() => issuesUnder(issues, ''), [issues]);
  const zonesId = useId();
  const update = (patch: Partial<Settings>, field: string) => dispatch({ type: 'update_settings', settings: patch }, { coalesce: `settings:${field}` });
  const exitOn = (settings.exitOn ?? []) as EventMatcher[];

  return (
    <IssuesAtContext.Provider value={byPath}>
      <div className="panel settings">
        <h2>{t('editor.settings.heading')}</h2>
        <TextField label={t('editor.settings.name')} path="name" value={doc.name} onChange={(name) => dispatch({ type: 'update_meta', name }, { coalesce: 'meta:name' })} />
        <TextField
          label={t('editor.settings.description')}
          path="description"
          value={doc.description}
          multiline
          onChange={(description) => dispatch({ type: 'update_meta', description }, { coalesce: 'meta:description' })}
        />
        <SelectField
          label={t('editor.settings.reentry')}
          path="settings/entry"
          value={settings.entry?.reentry ?? 'once'}
          options={REENTRY.map((r) => ({ value: r, label: t(`editor.settings.reentryOptions.${r}`) }))}
          hint={t(`editor.settings.reentryHints.${settings.entry?.reentry ?? 'once'}`)}
          onChange={(reentry) => update({ entry: { reentry } }, 'entry')}
        />
        <Field label={t('editor.settings.timezone')} path="settings/timezone" hint={t('editor.settings.timezoneHint')}>
          {({ id, describedBy, invalid }) => (
            <>
              <input
                id={id}
                type="text"
                list={zonesId}
                value={settings.timezone ?? ''}
                readOnly={readOnly}
                aria-describedby={describedBy}
                aria-invalid={invalid}
                onChange={(e) => update({ timezone: e.target.value || undefined }, 'timezone')}
              />
              <datalist id={zonesId}>
                {ZONES.map((z) => (
                  <option key={z} value={z} />
                ))}
              </datalist>
            </>
          )}
        </Field>

        <fieldset className="subform">
          <legend>{t('editor.settings.quietHours')}</legend>
          <CheckboxField
            label={t('editor.settings.quietHoursOn')}
            path="settings/quietHours"
            checked={!!settings.quietHours}
            onChange={(on) => update({ quietHours: on ? { from: '22:00', to: '08:00' } : null }, 'quietHours')}
          />
          {settings.quietHours ? (
            <div className="inline-fields">
              <TimeField label={t('editor.settings.from')} path="settings/quietHours/from" value={settings.quietHours.from} onChange={(from) => update({ quietHours: { ...settings.quietHours!, from } }, 'quietHours')} />
              <TimeField label={t('editor.settings.to')} path="settings/quietHours/to" value={settings.quietHours.to} onChange={(to) => update({ quietHours: { ...settings.quietHours!, to } }, 'quietHours')} />
            </div>
          ) : null}
        </fieldset>

        <fieldset className="subform">
          <legend>{t('editor.settings.frequencyCap')}</legend>
          <CheckboxField
            label={t('editor.settings.frequencyCapOn')}
            path="settings/frequencyCap"
            checked={!!settings.frequencyCap}
            onChange={(on) => update({ frequencyCap: on ? { max: 2, per: '1d' } : null }, 'frequencyCap')}
          />
          {settings.frequencyCap ? (
            <div className="inline-fields">
              <NumberField
                label={t('editor.settings.max')}
                path="settings/frequencyCap/max"
                value={settings.frequencyCap.max}
                min={1}
                onChange={(max) => update({ frequencyCap: { ...settings.frequencyCap!, max: max ?? 0 } }, 'frequencyCap')}
              />
              <DurationField label={t('editor.settings.per')} path="settings/frequencyCap/per" value={settings.frequencyCap.per} onChange={(per) => update({ frequencyCap: { ...settings.frequencyCap!, per } }, 'frequencyCap')} />
            </div>
          ) : null}
        </fieldset>

        <fieldset className="subform">
          <legend>{t('editor.settings.exitOn')}</legend>
          <p className="field__hint">{t('editor.settings.exitOnHint')}</p>
          {exitOn.map((m, i) => (
            <div key={i} className="exit-on">
              <EventMatcherField
                label={t('editor.settings.exitEvent', { n: i + 1 })}
                path={`settings/exitOn/${i}`}
                value={m}
                onChange={(next) => update({ exitOn: exitOn.map((x, j) => (j === i ? (next as EventMatcher) : x)) }, `exitOn:${i}`)}
              />
              {readOnly ? null : (
                <button type="button" className="button button--secondary button--small" onClick={() => update({ exitOn: exitOn.filter((_, j) => j !== i) }, 'exitOn')}>
                  {t('editor.settings.removeExit')}
                </button>
              )}
            </div>
          ))}
          {readOnly ? null : (
            <button type="button" className="button button--secondary button--small" onClick={() => update({ exitOn: [...exitOn, { type: 'unfollow' }] }, 'exitOn')}>
              {t('editor.settings.addExit')}
            </button>
          )}
        </fieldset>

        <fieldset className="subform">
          <legend>{t('editor.settings.goal')}</legend>
          <CheckboxField
            label={t('editor.settings.goalOn')}
            path="settings/goal"
            checked={!!settings.goal}
            onChange={(on) => update({ goal: on ? { event: { type: 'purchase' }, within: '7d' } : null }, 'goal')}
          />
          {settings.goal ? (
            <>
              <EventMatcherField
                label={t('editor.settings.goalEvent')}
                path="settings/goal/event"
                value={settings.goal.event}
                onChange={(event) => update({ goal: { ...settings.goal!, event: event as EventMatcher } }, 'goal')}
              />
              <DurationField label={t('editor.settings.within')} path="settings/goal/within" value={settings.goal.within} onChange={(within) => update({ goal: { ...settings.goal!, within } }, 'goal')} />
            </>
          ) : null}
        </fieldset>
      </div>
    </IssuesAtContext.Provider>
  );
}
