/**
 * An EventMatcher (`{ type, …filters }`) for wait.event, exitOn and the goal: the event type
 * and the filters that type has. Changing the type starts its filters afresh. A keyword event
 * has the same fields as the keyword trigger (KeywordFields).
 */
import { EVENT_TYPES, type EventMatcher, type EventType } from '~/lib/engine';
import { CheckboxField, ListField, NumberField, SelectField, TextField, withField } from './fields';
import { KeywordFields, type KeywordValue } from './keyword-fields';
import { useFieldLabel } from './labels';
import { ScenesPicker, TagPicker } from './resource-pickers';

type Matcher = Partial<EventMatcher> & Record<string, unknown>;

/** What a freshly chosen event type starts with (a keyword event: no keyword yet, exact). */
function blankOf(type: EventType): Matcher {
  if (type === 'custom') return { type, name: '' };
  if (type === 'keyword') return { type, keywords: [], match: 'exact' };
  return { type };
}

export function EventMatcherField({
  label: explicit,
  path,
  value,
  onChange,
}: {
  label?: string;
  path: string;
  value: Matcher | undefined;
  onChange(next: Matcher): void;
}) {
  const label = useFieldLabel(path, explicit);
  const m = value ?? { type: 'purchase' };
  const set = (key: string, v: unknown) => onChange(withField(m, key, v));
  const type = m.type as EventType | undefined;
  return (
    <fieldset className="subform event-matcher" data-path={path}>
      <legend>{label}</legend>
      <SelectField<EventType>
        path={`${path}/type`}
        value={type}
        onChange={(v) => (EVENT_TYPES.includes(v) ? onChange(blankOf(v)) : undefined)}
      />
      {type === 'follow' || type === 'qr_scan' ? (
        <ScenesPicker
          path={`${path}/scenes`}
          values={m.scenes as string[] | undefined}
          onChange={(v) => set('scenes', v.length ? v : undefined)}
        />
      ) : null}
      {type === 'follow' ? (
        <CheckboxField
          path={`${path}/firstTimeOnly`}
          checked={m.firstTimeOnly === true}
          onChange={(v) => set('firstTimeOnly', v || undefined)}
        />
      ) : null}
      {type === 'keyword' ? (
        <KeywordFields
          base={path}
          value={m as KeywordValue}
          onChange={(next) => onChange(next as Matcher)}
        />
      ) : null}
      {type === 'menu_click' ? (
        <ListField
          path={`${path}/keys`}
          values={m.keys as string[] | undefined}
          onChange={(v) => set('keys', v.length ? v : undefined)}
        />
      ) : null}
      {type === 'purchase' ? (
        <>
          <TextField
            path={`${path}/category`}
            value={m.category as string | undefined}
            onChange={(v) => set('category', v || undefined)}
          />
          <NumberField
            path={`${path}/minAmount`}
            value={m.minAmount as number | undefined}
            min={0}
            step={0.01}
            onChange={(v) => set('minAmount', v)}
          />
        </>
      ) : null}
      {type === 'tag_added' ? (
        <TagPicker
          path={`${path}/tag`}
          value={m.tag as string | undefined}
          onChange={(v) => set('tag', v || undefined)}
        />
      ) : null}
      {type === 'custom' ? (
        <TextField
          path={`${path}/name`}
          value={m.name as string | undefined}
          onChange={(v) => set('name', v)}
        />
      ) : null}
    </fieldset>
  );
}
