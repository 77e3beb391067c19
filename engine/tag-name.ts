/**
 * WeChat's rule for tag names (non-empty, at most 30 bytes of UTF-8), in one place: the
 * `action.tag` schema checks literal names with it, and the tag activity checks the names
 * that `{{…}}` placeholders render to at run time.
 */
import Mustache from 'mustache';
import { renderText, type RenderVars } from './render';

export const TAG_NAME_MAX_BYTES = 30;

export function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

/** WeChat's own group (id 2); `menu:` names are the reserved tags of menu swaps. */
const RESERVED_NAMES: ReadonlySet<string> = new Set(['星标组']);
export const MENU_TAG_PREFIX = 'menu:';

/** Why this (trimmed) name cannot be a flow's tag on WeChat, or null. */
export type TagNameProblem = 'empty' | 'too_long' | 'reserved';
export function tagNameProblem(name: string): TagNameProblem | null {
  const t = name.trim();
  if (t === '') return 'empty';
  if (utf8Length(t) > TAG_NAME_MAX_BYTES) return 'too_long';
  return RESERVED_NAMES.has(t) || t.startsWith(MENU_TAG_PREFIX) ? 'reserved' : null;
}

/** The literal part of a name with placeholders: what every rendering of it contains. */
export function literalPart(template: string): string {
  return template.replace(/\{\{[^}]*\}\}/g, '');
}

export type RenderedTag =
  | { ok: true; name: string }
  | { ok: false; name: string; reason: TagNameProblem | 'missing_value' };

/**
 * Renders a tag name with the message renderer and checks it: a variable without a value
 * (`src_{{event.scene}}` for an event without a scene) would make a tag nobody meant.
 */
export function renderTagName(template: string, vars: RenderVars): RenderedTag {
  const name = renderText(template, vars).trim();
  if (template.includes('{{') && usedVariables(template).some((v) => isBlank(lookup(vars, v))))
    return { ok: false, name, reason: 'missing_value' };
  const problem = tagNameProblem(name);
  return problem ? { ok: false, name, reason: problem } : { ok: true, name };
}

/** Variables printed by a template (`{{x}}`, `{{{x}}}`, `{{&x}}`; not section names). */
function usedVariables(template: string): string[] {
  const names: string[] = [];
  const visit = (tokens: unknown[][]) => {
    for (const t of tokens) {
      if (t[0] === 'name' || t[0] === '&') names.push(String(t[1]));
      if (Array.isArray(t[4])) visit(t[4] as unknown[][]);
    }
  };
  visit(Mustache.parse(template) as unknown[][]);
  return names;
}

function lookup(vars: RenderVars, path: string): unknown {
  let cur: unknown = vars;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

const isBlank = (v: unknown) => v === undefined || v === null || String(v).trim() === '';
