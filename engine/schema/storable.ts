/**
 * What can be stored: text PostgreSQL accepts and JSON it can nest. Every door that takes a
 * document or an event from outside (the editor, the CLI, the events API) checks with these,
 * so a bad character is refused with a sentence instead of failing the database write.
 *
 * - U+0000 (NUL): `text` and `jsonb` both refuse it.
 * - A lone UTF-16 surrogate (half of an emoji, e.g. from cutting a string in the middle):
 *   `jsonb` refuses its escape, and `text` would silently store U+FFFD instead.
 * - Nesting: PostgreSQL (and JSON.stringify) recurse per level; past a few thousand levels
 *   they fail. Callers pick a depth that fits what they legitimately accept.
 */
import { z } from 'zod';
import { bi } from './i18n';

export type TextProblem = 'nul' | 'surrogate';

const NUL = '\u0000';
// eslint-disable-next-line no-control-regex -- U+0000 is what it looks for
const SUSPECT = /[\u0000\uD800-\uDFFF]/;
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why PostgreSQL would not store this text, or null when it would. */
export function textProblem(text: string): TextProblem | null {
  // Nearly every string has neither: one scan for either kind of character settles it.
  if (!SUSPECT.test(text)) return null;
  if (text.includes(NUL)) return 'nul';
  if (LONE_SURROGATE.test(text)) return 'surrogate';
  return null;
}

export interface StorableProblem {
  /** Where in the value: keys and indexes from its root. */
  path: (string | number)[];
  problem: TextProblem | 'depth';
}

/** Objects/arrays nested deeper than any flow document needs (rules nest 16 groups deep). */
export const MAX_DOCUMENT_DEPTH = 64;

/** One value waiting to be looked at; its path is rebuilt from the parents only when needed. */
interface Pending {
  value: unknown;
  key: string | number | null;
  parent: Pending | null;
  depth: number;
}

function pathOf(p: Pending | null, extra?: string): (string | number)[] {
  const path: (string | number)[] = extra === undefined ? [] : [extra];
  for (let at = p; at && at.key !== null; at = at.parent) path.push(at.key);
  return path.reverse();
}

/**
 * Every string (object keys included) PostgreSQL would refuse, and every object or array
 * nested deeper than `maxDepth`, in document order; at most `limit` of them. Iterative, so a
 * value nested 100,000 levels deep is reported, not a stack overflow. Every document passes
 * through here on each validation, so nothing is allocated per value but its stack entry: a
 * path is built only for a problem.
 */
export function unstorable(
  value: unknown,
  options: { maxDepth?: number; limit?: number } = {},
): StorableProblem[] {
  const maxDepth = options.maxDepth ?? MAX_DOCUMENT_DEPTH;
  const limit = options.limit ?? 20;
  const found: StorableProblem[] = [];
  const stack: Pending[] = [{ value, key: null, parent: null, depth: 0 }];
  while (stack.length > 0 && found.length < limit) {
    const at = stack.pop()!;
    const v = at.value;
    if (typeof v === 'string') {
      const problem = textProblem(v);
      if (problem) found.push({ path: pathOf(at), problem });
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    // `depth` counts keys and indexes: an object at depth d sits under d of them.
    if (at.depth >= maxDepth) {
      // Reported where the nesting starts to matter to a reader, not 64 keys down.
      found.push({ path: pathOf(at).slice(0, 4), problem: 'depth' });
      continue;
    }
    const depth = at.depth + 1;
    // Pushed in reverse so that they are looked at in document order.
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--)
        stack.push({ value: v[i], key: i, parent: at, depth });
    } else {
      const keys = Object.keys(v);
      const base = stack.length;
      for (const key of keys) {
        const problem = textProblem(key);
        if (problem) found.push({ path: pathOf(at, key), problem });
        else stack.push({ value: (v as Record<string, unknown>)[key], key, parent: at, depth });
      }
      // Reverse what was just pushed (document order again).
      for (let i = base, j = stack.length - 1; i < j; i++, j--) {
        const t = stack[i]!;
        stack[i] = stack[j]!;
        stack[j] = t;
      }
    }
  }
  return found;
}

export const STORABLE_MESSAGES = {
  nul: bi(
    'contains an invisible null character (U+0000) that cannot be saved; delete it and type the text again',
    '包含无法保存的不可见空字符（U+0000），请删除后重新输入',
  ),
  surrogate: bi(
    'contains half of an emoji or other broken character that cannot be saved; delete it and type the text again',
    '包含残缺的表情符号或其他损坏的字符，无法保存，请删除后重新输入',
  ),
  depth: bi('is nested too deeply to be saved', '嵌套层数过多，无法保存'),
} as const;

/** The message of a custom issue raised for a storable problem (see `isStorableIssue`). */
const STORABLE_PARAMS = { storable: true } as const;

/**
 * A zod check for any schema: adds one issue per `unstorable` finding at its path. It runs
 * even when the schema's own parsing found other problems, so every problem shows at once.
 */
export function storableCheck(options: { maxDepth?: number } = {}) {
  return z.superRefine<unknown>(
    (value, ctx) => {
      for (const { path, problem } of unstorable(value, options)) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: STORABLE_MESSAGES[problem],
          params: STORABLE_PARAMS,
          input: undefined,
        });
      }
    },
    { when: () => true },
  );
}

/** True for the issues `storableCheck` raises. */
export function isStorableIssue(iss: { code: string; params?: unknown }): boolean {
  return (
    iss.code === 'custom' &&
    typeof iss.params === 'object' &&
    iss.params !== null &&
    (iss.params as { storable?: unknown }).storable === true
  );
}
