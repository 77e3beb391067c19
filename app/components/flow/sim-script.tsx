/**
 * One test follower's scenario in the Simulate panel: who the fan is (tags, tier, points,
 * following or not, when they last wrote — the 48-hour customer-service window), when the
 * clock starts and how long it watches, and the script of what the fan does: rows of
 * (when, what, the event's one field). Errors show on the field they concern.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EVENT_TYPES, type EventType } from '~/lib/engine';
import type { ScenarioInput } from '../../../engine/simulate/index';
import {
  EVENT_FIELD,
  fromLocalInput,
  rowErrors,
  toLocalInput,
  type ScenarioEventInput,
} from './sim-model';

/** A format hint, not a sentence. */
const DEFAULT_UNTIL = '+7d';

interface Props {
  scenario: ScenarioInput;
  onChange: (next: ScenarioInput) => void;
  /** Errors by path (`events[1].at`), in the UI language. */
  errors: ReadonlyMap<string, string>;
  timeZone: string;
  readOnly: boolean;
}

function FieldError({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <p className="field__issue" role="alert">
      {message}
    </p>
  );
}

/** Tags typed as a comma-separated list (kept as typed while editing). */
function TagsInput({
  id,
  value,
  onChange,
  disabled,
}: {
  id: string;
  value: readonly string[];
  onChange: (tags: string[]) => void;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState(value.join(', '));
  return (
    <input
      id={id}
      type="text"
      value={text}
      disabled={disabled}
      placeholder={t('editor.simulate.tagsPlaceholder')}
      onChange={(e) => {
        setText(e.target.value);
        onChange(
          e.target.value
            .split(/[,，、]/)
            .map((s) => s.trim())
            .filter(Boolean),
        );
      }}
    />
  );
}

export function SimScript({ scenario, onChange, errors, timeZone, readOnly }: Props) {
  const { t } = useTranslation();
  const follower = scenario.follower ?? {};
  const events = scenario.events ?? [];
  const setFollower = (patch: Partial<NonNullable<ScenarioInput['follower']>>) => {
    const next = { ...follower, ...patch };
    for (const key of Object.keys(next) as (keyof typeof next)[])
      if (next[key] === undefined) delete next[key];
    onChange({ ...scenario, follower: next });
  };
  const setEvents = (next: ScenarioEventInput[]) => onChange({ ...scenario, events: next });
  const setEvent = (i: number, patch: Partial<ScenarioEventInput>) =>
    setEvents(events.map((e, k) => (k === i ? { ...e, ...patch } : e)));
  const changeType = (i: number, type: EventType) => {
    const old = events[i]!;
    // Only the new type's field is kept: another type's would be refused by the schema.
    const field = EVENT_FIELD[type];
    const oldField = EVENT_FIELD[old.type];
    const carried =
      field && field === oldField && old[field] !== undefined ? { [field]: old[field] } : {};
    setEvents(events.map((e, k) => (k === i ? { at: old.at, type, ...carried } : e)));
  };
  const err = (path: string) => errors.get(path);

  return (
    <div className="sim-script" data-testid="sim-script">
      <fieldset className="subform">
        <legend>{t('editor.simulate.follower')}</legend>
        <div className="field">
          <label className="field__label" htmlFor="sim-tags">
            {t('editor.simulate.tags')}
          </label>
          <TagsInput
            id="sim-tags"
            value={follower.tags ?? []}
            onChange={(tags) => setFollower({ tags })}
            disabled={readOnly}
          />
          <FieldError message={err('follower.tags') ?? err('follower.tags[0]')} />
        </div>
        <div className="sim-script__pair">
          <div className="field">
            <label className="field__label" htmlFor="sim-tier">
              {t('editor.simulate.tier')}
            </label>
            <input
              id="sim-tier"
              type="text"
              value={follower.tier ?? ''}
              disabled={readOnly}
              onChange={(e) => setFollower({ tier: e.target.value || undefined })}
            />
            <FieldError message={err('follower.tier')} />
          </div>
          <div className="field">
            <label className="field__label" htmlFor="sim-points">
              {t('editor.simulate.points')}
            </label>
            <input
              id="sim-points"
              type="number"
              min={0}
              step={1}
              value={follower.points ?? ''}
              disabled={readOnly}
              onChange={(e) =>
                setFollower({
                  points: e.target.value === '' ? undefined : Number(e.target.value),
                })
              }
            />
            <FieldError message={err('follower.points')} />
          </div>
        </div>
        <div className="field field--checkbox">
          <label>
            <input
              type="checkbox"
              checked={follower.subscribed ?? false}
              disabled={readOnly}
              onChange={(e) => setFollower({ subscribed: e.target.checked })}
            />{' '}
            {t('editor.simulate.subscribed')}
          </label>
        </div>
        <div className="field">
          <label className="field__label" htmlFor="sim-last-message">
            {t('editor.simulate.lastMessageAt')}
          </label>
          <input
            id="sim-last-message"
            type="datetime-local"
            value={toLocalInput(follower.lastMessageAt, timeZone)}
            disabled={readOnly}
            onChange={(e) =>
              setFollower({ lastMessageAt: fromLocalInput(e.target.value, timeZone) })
            }
          />
          <p className="field__hint">{t('editor.simulate.lastMessageHint')}</p>
          <FieldError message={err('follower.lastMessageAt')} />
        </div>
      </fieldset>

      <fieldset className="subform">
        <legend>{t('editor.simulate.script')}</legend>
        <div className="sim-script__pair">
          <div className="field">
            <label className="field__label" htmlFor="sim-start">
              {t('editor.simulate.start')}
            </label>
            <input
              id="sim-start"
              type="datetime-local"
              value={toLocalInput(scenario.start, timeZone)}
              disabled={readOnly}
              onChange={(e) =>
                onChange({ ...scenario, start: fromLocalInput(e.target.value, timeZone) ?? '' })
              }
            />
            <FieldError message={err('start')} />
          </div>
          <div className="field">
            <label className="field__label" htmlFor="sim-until">
              {t('editor.simulate.until')}
            </label>
            <input
              id="sim-until"
              type="text"
              value={scenario.until ?? ''}
              disabled={readOnly}
              placeholder={DEFAULT_UNTIL}
              onChange={(e) => onChange({ ...scenario, until: e.target.value })}
            />
            <FieldError message={err('until')} />
          </div>
        </div>
        <p className="field__hint">{t('editor.simulate.timeHint', { zone: timeZone })}</p>
        <ol className="sim-rows" aria-label={t('editor.simulate.script')}>
          {events.map((e, i) => {
            const field = EVENT_FIELD[e.type];
            const messages = rowErrors(errors, i);
            return (
              <li key={i} className="sim-row" data-row={i}>
                <input
                  type="text"
                  className="sim-row__at"
                  value={e.at}
                  disabled={readOnly}
                  aria-label={t('editor.simulate.rowAt', { n: i + 1 })}
                  aria-invalid={errors.has(`events[${i}].at`)}
                  onChange={(ev) => setEvent(i, { at: ev.target.value })}
                />
                <select
                  className="sim-row__type"
                  value={e.type}
                  disabled={readOnly}
                  aria-label={t('editor.simulate.rowType', { n: i + 1 })}
                  onChange={(ev) => changeType(i, ev.target.value as EventType)}
                >
                  {EVENT_TYPES.map((type) => (
                    <option key={type} value={type}>
                      {t(`editor.simulate.events.${type}`)}
                    </option>
                  ))}
                </select>
                {field ? (
                  <input
                    type={field === 'amount' ? 'number' : 'text'}
                    className="sim-row__value"
                    value={e[field] ?? ''}
                    disabled={readOnly}
                    placeholder={t(`editor.simulate.fields.${field}`)}
                    aria-label={t('editor.simulate.rowValue', {
                      n: i + 1,
                      field: t(`editor.simulate.fields.${field}`),
                    })}
                    aria-invalid={errors.has(`events[${i}].${field}`)}
                    onChange={(ev) => {
                      const raw = ev.target.value;
                      setEvent(i, {
                        [field]: raw === '' ? undefined : field === 'amount' ? Number(raw) : raw,
                      });
                    }}
                  />
                ) : (
                  <span className="sim-row__value" />
                )}
                <button
                  type="button"
                  className="link-button sim-row__remove"
                  disabled={readOnly}
                  aria-label={t('editor.simulate.removeRow', { n: i + 1 })}
                  onClick={() => setEvents(events.filter((_, k) => k !== i))}
                >
                  ×
                </button>
                {messages.length ? (
                  <p className="field__issue sim-row__issue" role="alert">
                    {messages.join(' ')}
                  </p>
                ) : null}
              </li>
            );
          })}
        </ol>
        {events.length === 0 ? <p className="muted">{t('editor.simulate.noEvents')}</p> : null}
        <button
          type="button"
          className="button button--secondary button--small"
          disabled={readOnly || events.length >= 200}
          onClick={() => {
            const last = events[events.length - 1];
            setEvents([...events, { at: last ? last.at : '+0m', type: 'keyword', text: '' }]);
          }}
        >
          {t('editor.simulate.addRow')}
        </button>
        <FieldError message={err('events')} />
      </fieldset>
    </div>
  );
}
