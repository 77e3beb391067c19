/**
 * The editor's words for fields, options, ports and kinds come from the engine's catalog
 * (engine/labels.ts) — the same words validation messages and the publish dialog use, so a
 * panel and a message about it can never name a field differently.
 */
import { createContext, useContext } from 'react';
import { useTranslation } from 'react-i18next';
import { isLanguage, type Language } from '~/i18n/config';
import { fieldEntry, fieldLabel, kindTitle, portLabel, type LocalizedText } from '~/lib/engine';

/** Whose fields a form edits: a node kind (paths relative to its config) or `document`. */
export const LabelScopeContext = createContext<string>('document');

export function useLang(): Language {
  const { i18n } = useTranslation();
  return isLanguage(i18n.language) ? i18n.language : 'en';
}

/** Picks the UI language's text of a bilingual value. */
export function useLocalize(): (text: LocalizedText) => string {
  const lang = useLang();
  return (text) => text[lang];
}

/**
 * The label of the field at `path` (slash-separated, relative to the form's scope), marked
 * "(optional)" when it is. `explicit` is for what the catalog does not name: a step's own
 * label, a checkbox that switches a group of settings on.
 */
export function useFieldLabel(path: string, explicit?: string): string {
  const scope = useContext(LabelScopeContext);
  const { t } = useTranslation();
  const lang = useLang();
  if (explicit !== undefined) return explicit;
  const label = fieldLabel(scope, path);
  if (!label) return '';
  return fieldEntry(scope, path)?.optional
    ? t('editor.fields.optional', { label: label[lang] })
    : label[lang];
}

/** The choices of a field with fixed options, labelled, in the catalog's order. */
export function useFieldOptions(path: string): { value: string; label: string }[] | undefined {
  const scope = useContext(LabelScopeContext);
  const lang = useLang();
  const options = fieldEntry(scope, path)?.options;
  return (
    options && Object.entries(options).map(([value, label]) => ({ value, label: label[lang] }))
  );
}

/** Reads the label of one option of a field, for summaries on the canvas. */
export function useOptionText(scope: string): (path: string, value: string) => string {
  const lang = useLang();
  return (path, value) => fieldEntry(scope, path)?.options?.[value]?.[lang] ?? value;
}

/** A kind's name as the palette, the canvas and messages show it. */
export function useKindTitle(): (kind: string) => string {
  const lang = useLang();
  return (kind) => kindTitle(kind)?.[lang] ?? kind;
}

/** A port's label on the canvas (a split's branch by its name). */
export function usePortLabel(): (port: string) => string {
  const lang = useLang();
  return (port) => portLabel(port)[lang];
}
