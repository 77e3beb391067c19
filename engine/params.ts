/**
 * Template parameters inside strings: `{{params.x}}`, the values a document binds to them
 * (explicit, else the declared default), and their substitution. Shared by compile (which
 * binds before it validates) and the publish-time resource checks (which check the defaults
 * compile would bind), so the two can never disagree.
 */
export const PARAM_RE = /\{\{\s*params\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Replaces `{{params.x}}` in every string of `value` where `values` has x. */
export function substituteParams<T>(value: T, values: Record<string, string>): T {
  if (typeof value === 'string') {
    return value.replace(PARAM_RE, (whole, name: string) =>
      Object.hasOwn(values, name) ? values[name]! : whole,
    ) as T;
  }
  if (Array.isArray(value)) return value.map((v) => substituteParams(v, values)) as T;
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, substituteParams(v, values)]),
    ) as T;
  }
  return value;
}

/** The value of each declared parameter that has one: explicit, else its default. */
export function parameterValues(
  doc: unknown,
  explicit: Record<string, string> = {},
): Record<string, string> {
  const values: Record<string, string> = {};
  if (!isRecord(doc) || !Array.isArray(doc.parameters)) return values;
  for (const p of doc.parameters) {
    if (!isRecord(p) || typeof p.name !== 'string') continue;
    const v = Object.hasOwn(explicit, p.name) ? explicit[p.name] : p.default;
    if (typeof v === 'string') values[p.name] = v;
  }
  return values;
}

/** The names of the parameters a string uses. */
export function paramNames(text: string): string[] {
  return [...text.matchAll(PARAM_RE)].map((m) => m[1]!);
}
