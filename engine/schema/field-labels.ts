/**
 * What an issue may carry besides zod's English message, and the labels of the fields our own
 * checks name (as the editor's panels label them, app/i18n/locales editor.fields.*).
 */
import type { LocalizedText } from '../issues';

/**
 * `params` of a custom zod issue: its text in both languages, for messages that quote the input
 * (a catalogue keyed by English text cannot hold those), and the label of the field in the
 * panel, for the sentence to name it.
 */
export interface IssueParams {
  text?: LocalizedText;
  label?: LocalizedText;
}

export const FIELD_LABELS = {
  keywords: { en: 'Keywords', 'zh-CN': '关键词' },
  ruleValue: { en: 'Value', 'zh-CN': '值' },
  url: { en: 'URL', 'zh-CN': '地址' },
} as const satisfies Record<string, LocalizedText>;
