/**
 * The flow's own settings: name and description, re-entry, time zone, quiet hours,
 * frequency cap, the events that end a journey at once, and the conversion goal.
 */
import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import {
  COMMON_TIMEZONES,
  reentryOf,
  type EventMatcher,
  type Issue,
  type Settings,
} from '~/lib/engine';
import { EventMatcherField } from './event-matcher-field';
import {
  CheckboxField,
  DurationField,
  Field,
  IssuesAtContext,
  NumberField,
  SelectField,
  TextField,
  TimeField,
  useEditorContext,
} from './fields';
import { useFieldLabel } from './labels';
import { issuesUnder } from './node-panel';
import type { EditorStore } from './store';

export function SettingsPanel({ store, issues }: { store: EditorStore; issues: readonly Issue[] }) {
  const { t } = useTranslation();
  const { readOnly } = useEditorContext();
  const doc = useStore(store, (s) => s.doc);
  const dispatch = store.getState().dispatch;
  const settings: Settings = doc.settings ?? {};
  const byPath = useMemo(() => issuesUnder(issues, ''), [issues]);
  const zonesId = useId();
  const update = (patch: Partial<Settings>, field: string) =>
    dispatch({ type: 'update_settings', settings: patch }, { coalesce: `settings:${field}` });
  const exitOn = (settings.exitOn ?? []) as EventMatcher[];
  // Unchosen, re-entry follows the triggers (a birthday flow enters again each year).
  const reentry = reentryOf(doc);
  const legend = {
    quietHours: useFieldLabel('settings/quietHours'),
    frequencyCap: useFieldLabel('settings/frequencyCap'),
    exitOn: useFieldLabel('settings/exitOn'),
    goal: useFieldLabel('settings/goal'),
  };

  return (
    <IssuesAtContext.Provider value={byPath}>
      <div className="panel settings">
        <h2>{t('editor.settings.heading')}</h2>
        <TextField
          path="name"
          value={doc.name}
          onChange={(name) => dispatch({ type: 'update_meta', name }, { coalesce: 'meta:name' })}
        />
        <TextField
          path="description"
          value={doc.description}
          multiline
          onChange={(description) =>
            dispatch({ type: 'update_meta', description }, { coalesce: 'meta:description' })
          }
        />
        <SelectField
          path="settings/entry"
          value={reentry}
          hint={t(`editor.settings.reentryHints.${reentry}`)}
          onChange={(reentry) => update({ entry: { reentry } }, 'entry')}
        />
        <Field path="settings/timezone" hint={t('editor.settings.timezoneHint')}>
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
                {COMMON_TIMEZONES.map((z) => (
                  <option key={z} value={z} />
                ))}
              </datalist>
            </>
          )}
        </Field>

        <fieldset className="subform">
          <legend>{legend.quietHours}</legend>
          <CheckboxField
            label={t('editor.settings.quietHoursOn')}
            path="settings/quietHours"
            checked={!!settings.quietHours}
            onChange={(on) =>
              update({ quietHours: on ? { from: '22:00', to: '08:00' } : null }, 'quietHours')
            }
          />
          {settings.quietHours ? (
            <div className="inline-fields">
              <TimeField
                path="settings/quietHours/from"
                value={settings.quietHours.from}
                onChange={(from) =>
                  update({ quietHours: { ...settings.quietHours!, from } }, 'quietHours')
                }
              />
              <TimeField
                path="settings/quietHours/to"
                value={settings.quietHours.to}
                onChange={(to) =>
                  update({ quietHours: { ...settings.quietHours!, to } }, 'quietHours')
                }
              />
            </div>
          ) : null}
        </fieldset>

        <fieldset className="subform">
          <legend>{legend.frequencyCap}</legend>
          <CheckboxField
            label={t('editor.settings.frequencyCapOn')}
            path="settings/frequencyCap"
            checked={!!settings.frequencyCap}
            onChange={(on) =>
              update({ frequencyCap: on ? { max: 2, per: '1d' } : null }, 'frequencyCap')
            }
          />
          {settings.frequencyCap ? (
            <div className="inline-fields">
              <NumberField
                path="settings/frequencyCap/max"
                value={settings.frequencyCap.max}
                min={1}
                onChange={(max) =>
                  update(
                    { frequencyCap: { ...settings.frequencyCap!, max: max ?? 0 } },
                    'frequencyCap',
                  )
                }
              />
              <DurationField
                path="settings/frequencyCap/per"
                value={settings.frequencyCap.per}
                onChange={(per) =>
                  update({ frequencyCap: { ...settings.frequencyCap!, per } }, 'frequencyCap')
                }
              />
            </div>
          ) : null}
        </fieldset>

        <fieldset className="subform">
          <legend>{legend.exitOn}</legend>
          <p className="field__hint">{t('editor.settings.exitOnHint')}</p>
          {exitOn.map((m, i) => (
            <div key={i} className="exit-on">
              <EventMatcherField
                path={`settings/exitOn/${i}`}
                value={m}
                onChange={(next) =>
                  update(
                    { exitOn: exitOn.map((x, j) => (j === i ? (next as EventMatcher) : x)) },
                    `exitOn:${i}`,
                  )
                }
              />
              {readOnly ? null : (
                <button
                  type="button"
                  className="button button--secondary button--small"
                  onClick={() => update({ exitOn: exitOn.filter((_, j) => j !== i) }, 'exitOn')}
                >
                  {t('editor.settings.removeExit')}
                </button>
              )}
            </div>
          ))}
          {readOnly ? null : (
            <button
              type="button"
              className="button button--secondary button--small"
              onClick={() => update({ exitOn: [...exitOn, { type: 'unfollow' }] }, 'exitOn')}
            >
              {t('editor.settings.addExit')}
            </button>
          )}
        </fieldset>

        <fieldset className="subform">
          <legend>{legend.goal}</legend>
          <CheckboxField
            label={t('editor.settings.goalOn')}
            path="settings/goal"
            checked={!!settings.goal}
            onChange={(on) =>
              update({ goal: on ? { event: { type: 'purchase' }, within: '7d' } : null }, 'goal')
            }
          />
          {settings.goal ? (
            <>
              <EventMatcherField
                path="settings/goal/event"
                value={settings.goal.event}
                onChange={(event) =>
                  update({ goal: { ...settings.goal!, event: event as EventMatcher } }, 'goal')
                }
              />
              <DurationField
                path="settings/goal/within"
                value={settings.goal.within}
                onChange={(within) => update({ goal: { ...settings.goal!, within } }, 'goal')}
              />
            </>
          ) : null}
        </fieldset>
      </div>
    </IssuesAtContext.Provider>
  );
}
