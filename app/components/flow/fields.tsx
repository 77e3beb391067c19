/**
 * Form fields of the config and settings panels. Each field names the JSON path it edits
 * (relative to the node's config); validation issues at that path appear under it.
 */
import { createContext, useContext, useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Issue } from '~/lib/engine';
import type { BrandResources } from '../../../services/flows/editor.types';
import type { Language } from '~/i18n/config';
import { useFieldLabel, useFieldOptions } from './labels';

export interface EditorContextValue {
  flowId: string;
  /** The brand of the URL: the editor's endpoints and resource links are under it. */
  brandSlug: string;
  lang: Language;
  resources: BrandResources;
  /** Creates a brand tag from a picker (create-as-you-type); resolves false when refused. */
  createTag(name: string): Promise<boolean>;
  readOnly: boolean;
}
export const EditorContext = createContext<EditorContextValue | null>(null);
export function useEditorContext(): EditorContextValue {
  const value = useContext(EditorContext);
  if (!value) throw new Error('EditorContext missing');
  return value;
}

/** Issues of the thing being edited, by JSON pointer relative to it (e.g. `message/text`). */
export const IssuesAtContext = createContext<ReadonlyMap<string, Issue[]>>(new Map());

export function useIssuesAt(path: string): Issue[] {
  const byPath = useContext(IssuesAtContext);
  const out: Issue[] = [];
  for (const [at, issues] of byPath) {
    if (at === path || (path !== '' && at.startsWith(`${path}/`))) out.push(...issues);
  }
  return out;
}

export function FieldIssues({ issues, id }: { issues: Issue[]; id?: string }) {
  const { lang } = useEditorContext();
  if (issues.length === 0) return null;
  return (
    <ul className="field__issues" id={id} role="alert">
      {issues.map((issue, i) => (
        <li key={i} className={`field__issue field__issue--${issue.severity}`}>
          {issue.message[lang]}
        </li>
      ))}
    </ul>
  );
}

interface FieldProps {
  /** Only for what the engine's catalog does not name: fields are labelled from it by path. */
  label?: string;
  /** JSON path (relative) whose issues this field shows, and whose label it carries. */
  path: string;
  hint?: ReactNode;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}

export function Field({ label: explicit, path, hint, children }: FieldProps) {
  const label = useFieldLabel(path, explicit);
  const id = useId();
  const issues = useIssuesAt(path);
  const errorsId = `${id}-issues`;
  const hintId = `${id}-hint`;
  const describedBy =
    [issues.length ? errorsId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div
      className={`field${issues.some((i) => i.severity === 'error') ? ' field--invalid' : ''}`}
      data-path={path}
    >
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {children({ id, describedBy, invalid: issues.some((i) => i.severity === 'error') })}
      {hint ? (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      <FieldIssues issues={issues} id={errorsId} />
    </div>
  );
}

export function TextField(props: {
  label?: string;
  path: string;
  value: string | undefined;
  onChange(value: string): void;
  placeholder?: string;
  hint?: ReactNode;
  multiline?: boolean;
}) {
  const { readOnly } = useEditorContext();
  return (
    <Field label={props.label} path={props.path} hint={props.hint}>
      {({ id, describedBy, invalid }) =>
        props.multiline ? (
          <textarea
            id={id}
            rows={3}
            value={props.value ?? ''}
            placeholder={props.placeholder}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            readOnly={readOnly}
            onChange={(e) => props.onChange(e.target.value)}
          />
        ) : (
          <input
            id={id}
            type="text"
            value={props.value ?? ''}
            placeholder={props.placeholder}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            readOnly={readOnly}
            onChange={(e) => props.onChange(e.target.value)}
          />
        )
      }
    </Field>
  );
}

export function NumberField(props: {
  label?: string;
  path: string;
  value: number | undefined;
  onChange(value: number | undefined): void;
  min?: number;
  max?: number;
  step?: number;
  hint?: ReactNode;
}) {
  const { readOnly } = useEditorContext();
  return (
    <Field label={props.label} path={props.path} hint={props.hint}>
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          type="number"
          value={props.value ?? ''}
          min={props.min}
          max={props.max}
          step={props.step ?? 1}
          aria-describedby={describedBy}
          aria-invalid={invalid}
          readOnly={readOnly}
          onChange={(e) =>
            props.onChange(e.target.value === '' ? undefined : Number(e.target.value))
          }
        />
      )}
    </Field>
  );
}

export function SelectField<V extends string>(props: {
  label?: string;
  path: string;
  value: V | undefined;
  /** Default: the field's choices in the engine's catalog. */
  options?: readonly { value: V; label: string }[];
  onChange(value: V): void;
  placeholder?: string;
  hint?: ReactNode;
}) {
  const { readOnly } = useEditorContext();
  const catalog = useFieldOptions(props.path) as { value: V; label: string }[] | undefined;
  const options = props.options ?? catalog ?? [];
  return (
    <Field label={props.label} path={props.path} hint={props.hint}>
      {({ id, describedBy, invalid }) => (
        <select
          id={id}
          value={props.value ?? ''}
          aria-describedby={describedBy}
          aria-invalid={invalid}
          disabled={readOnly}
          onChange={(e) => props.onChange(e.target.value as V)}
        >
          {props.placeholder !== undefined ? (
            <option value="" disabled>
              {props.placeholder}
            </option>
          ) : null}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function CheckboxField(props: {
  label?: string;
  path: string;
  checked: boolean;
  onChange(checked: boolean): void;
}) {
  const { readOnly } = useEditorContext();
  const id = useId();
  const issues = useIssuesAt(props.path);
  const label = useFieldLabel(props.path, props.label);
  return (
    <div className="field field--checkbox" data-path={props.path}>
      <input
        id={id}
        type="checkbox"
        checked={props.checked}
        disabled={readOnly}
        onChange={(e) => props.onChange(e.target.checked)}
      />
      <label htmlFor={id}>{label}</label>
      <FieldIssues issues={issues} />
    </div>
  );
}

/**
 * A list of strings as removable chips plus an input: Enter or the add button adds what was
 * typed. `suggestions` feed a datalist; `onCreate` runs for values not among them.
 */
export function ListField(props: {
  label?: string;
  path: string;
  values: readonly string[] | undefined;
  onChange(values: string[]): void;
  suggestions?: readonly string[];
  placeholder?: string;
  hint?: ReactNode;
  onCreate?(value: string): Promise<boolean> | boolean;
}) {
  const { t } = useTranslation();
  const { readOnly } = useEditorContext();
  const [draft, setDraft] = useState('');
  const values = props.values ?? [];
  const listId = useId();
  const label = useFieldLabel(props.path, props.label);
  const add = async () => {
    const value = draft.trim();
    if (!value || values.includes(value)) {
      setDraft('');
      return;
    }
    if (props.onCreate && !(props.suggestions ?? []).includes(value)) {
      if (!(await props.onCreate(value))) return;
    }
    props.onChange([...values, value]);
    setDraft('');
  };
  return (
    <Field label={props.label} path={props.path} hint={props.hint}>
      {({ id, describedBy, invalid }) => (
        <div className="list-field">
          <ul className="chips" aria-label={t('editor.fields.chosen', { label })}>
            {values.map((v, i) => (
              <li key={`${v}-${i}`} className="chip">
                <span>{v}</span>
                {readOnly ? null : (
                  <button
                    type="button"
                    className="chip__remove"
                    aria-label={t('editor.fields.remove', { value: v })}
                    onClick={() => props.onChange(values.filter((_, j) => j !== i))}
                  >
                    ×
                  </button>
                )}
              </li>
            ))}
          </ul>
          {readOnly ? null : (
            <div className="list-field__add">
              <input
                id={id}
                type="text"
                list={props.suggestions?.length ? listId : undefined}
                value={draft}
                placeholder={props.placeholder ?? t('editor.fields.addPlaceholder')}
                aria-describedby={describedBy}
                aria-invalid={invalid}
                onChange={(e) => setDraft(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    void add();
                  }
                }}
              />
              <button
                type="button"
                className="button button--secondary button--small"
                onClick={() => void add()}
              >
                {t('editor.fields.add')}
              </button>
              {props.suggestions?.length ? (
                <datalist id={listId}>
                  {props.suggestions
                    .filter((s) => !values.includes(s))
                    .map((s) => (
                      <option key={s} value={s} />
                    ))}
                </datalist>
              ) : null}
            </div>
          )}
        </div>
      )}
    </Field>
  );
}

const UNITS = ['m', 'h', 'd', 'w'] as const;
type Unit = (typeof UNITS)[number];
/** A number (possibly cleared) and a unit, as the field keeps them while being edited. */
const PARTS = /^([0-9]*)([mhdw])?$/;

/**
 * A duration string (`30m`, `2h`, `3d`, `1w`) as a number and a unit. The unit is the
 * marketer's: clearing the number keeps it (the draft holds `h`, which validation reports
 * on this field as a missing number), and it never changes by itself.
 */
export function DurationField(props: {
  label?: string;
  path: string;
  value: string | undefined;
  onChange(value: string): void;
  hint?: ReactNode;
  /** The unit shown before anything is chosen. */
  defaultUnit?: Unit;
}) {
  const { t } = useTranslation();
  const { readOnly } = useEditorContext();
  const parts = PARTS.exec(props.value ?? '');
  const amount = parts ? parts[1]! : (props.value ?? '').replace(/[^0-9]/g, '');
  const [chosenUnit, setChosenUnit] = useState<Unit>(
    (parts?.[2] as Unit | undefined) ?? props.defaultUnit ?? 'd',
  );
  const unit = (parts?.[2] as Unit | undefined) ?? chosenUnit;
  return (
    <Field label={props.label} path={props.path} hint={props.hint}>
      {({ id, describedBy, invalid }) => (
        <div className="duration-field">
          <input
            id={id}
            type="number"
            min={1}
            value={amount}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            readOnly={readOnly}
            onChange={(e) => props.onChange(`${e.target.value.replace(/[^0-9]/g, '')}${unit}`)}
          />
          <select
            aria-label={t('editor.fields.unit')}
            value={unit}
            disabled={readOnly}
            onChange={(e) => {
              const next = e.target.value as Unit;
              setChosenUnit(next);
              props.onChange(`${amount}${next}`);
            }}
          >
            {UNITS.map((u) => (
              <option key={u} value={u}>
                {t(`editor.units.${u}`)}
              </option>
            ))}
          </select>
        </div>
      )}
    </Field>
  );
}

export function TimeField(props: {
  label?: string;
  path: string;
  value: string | undefined;
  onChange(value: string): void;
}) {
  const { readOnly } = useEditorContext();
  return (
    <Field label={props.label} path={props.path}>
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          type="time"
          value={props.value ?? ''}
          aria-describedby={describedBy}
          aria-invalid={invalid}
          readOnly={readOnly}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

/** Sets `key` on an object config, removing it when `value` is undefined. */
export function withField<T extends object>(config: T | undefined, key: string, value: unknown): T {
  const next = { ...(config ?? {}) } as Record<string, unknown>;
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next as T;
}
