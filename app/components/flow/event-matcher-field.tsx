/**
 * An EventMatcher (`{ type, …filters }`) for wait.event, exitOn and the goal: the event type
 * and the filters that type has. Changing the type starts its filters afresh.
 */
import { useTranslation } from 'react-i18next';
import { EVENT_TYPES, type EventMatcher, type EventType } from '~/lib/engine';
import { CheckboxField, ListField, NumberField, SelectField, TextField, withField } from './fields';
import { ScenesPicker, TagPicker } from './resource-pickers';

type Matcher = Partial<EventMatcher> & Record<string, unknown>;

export function EventMatcherField({ label, path, value, onChange }: { label: string; path: string; value: Matcher | undefined; onChange(next: Matcher): void }) {
  const { t } = useTranslation();
  const m = value ?? { type: 'purchase' };
  const set = (key: string, v: unknown) => onChange(withField(m, key, v));
  const type = m.type as EventType | undefined;
  return (
    <fieldset className="subform event-matcher">
      <legend>{label}</legend>
      <SelectField
        label={t('editor.event.type')}
        path={`${path}/type`}
        value={type}
        options={EVENT_TYPES.map((e) => ({ value: e, label: t(`editor.event.types.${e}`) }))}
        onChange={(v) => onChange(v === 'custom' ? { type: v, name: '' } : { type: v })}
      />
      {type === 'follow' || type === 'qr_scan' ? (
        <ScenesPicker
          label={t('editor.fields.scenesOptional')}
          path={`${path}/scenes`}
          values={m.scenes as string[] | undefined}
          onChange={(v) => set('scenes', v.length ? v : undefined)}
        />
      ) : null}
      {type === 'follow' ? (
        <CheckboxField label={t('editor.fields.firstTimeOnly')} path={`${path}/firstTimeOnly`} checked={m.firstTimeOnly === true} onChange={(v) => set('firstTimeOnly', v || undefined)} />
      ) : null}
      {type === 'keyword' ? (
        <ListField label={t('editor.fields.keywords')} path={`${path}/keywords`} values={m.keywords as string[] | undefined} onChange={(v) => set('keywords', v.length ? v : undefined)} />
      ) : null}
      {type === 'menu_click' ? (
        <ListField label={t('editor.fields.menuKeys')} path={`${path}/keys`} values={m.keys as string[] | undefined} onChange={(v) => set('keys', v.length ? v : undefined)} />
      ) : null}
      {type === 'purchase' ? (
        <>
          <TextField label={t('editor.fields.categoryOptional')} path={`${path}/category`} value={m.category as string | undefined} onChange={(v) => set('category', v || undefined)} />
          <NumberField label={t('editor.fields.minAmountOptional')} path={`${path}/minAmount`} value={m.minAmount as number | undefined} min={0} step={0.01} onChange={(v) => set('minAmount', v)} />
        </>
      ) : null}
      {type === 'tag_added' ? (
        <TagPicker label={t('editor.fields.tagOptional')} path={`${path}/tag`} value={m.tag as string | undefined} onChange={(v) => set('tag', v || undefined)} />
      ) : null}
      {type === 'custom' ? (
        <TextField label={t('editor.fields.eventName')} path={`${path}/name`} value={m.name as string | undefined} onChange={(v) => set('name', v)} />
      ) : null}
    </fieldset>
  );
}
