/**
 * Template parameters inside strings: `{{params.x}}`, the values a document binds to them
 * (explicit, else the declared default), and their substitution. Shared by compile (which
 * binds before it validates) and the publish-time resource checks (which check the defaults
 * compile would bind), so the two can never disagree.
 */
export const PARAM_RE = /\{\{\s*params\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const WHOLE_PARAM_RE = /^\{\{\s*params\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;

/**
 * Replaces `{{params.x}}` in every string of `value` where `values` has x. A string that is
 * exactly one placeholder of a parameter in `numbers` (kind `number`) becomes that number, so
 * a numeric field can be a parameter.
 */
export function substituteParams<T>(
  value: T,
  values: Record<string, string>,
  numbers: ReadonlySet<string> = NO_NUMBERS,
): T {
  if (typeof value === 'string') {
    const whole = numbers.size ? WHOLE_PARAM_RE.exec(value) : null;
    if (whole && numbers.has(whole[1]!) && Object.hasOwn(values, whole[1]!)) {
      const n = Number(values[whole[1]!]);
      if (values[whole[1]!]!.trim() !== '' && Number.isFinite(n)) return n as T;
    }
    return value.replace(PARAM_RE, (whole, name: string) =>
      Object.hasOwn(values, name) ? values[name]! : whole,
    ) as T;
  }
  if (Array.isArray(value)) return value.map((v) => substituteParams(v, values, numbers)) as T;
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, substituteParams(v, values, numbers)]),
    ) as T;
  }
  return value;
}

const NO_NUMBERS: ReadonlySet<string> = new Set();

/** The declared parameters of kind `number`. */
export function numberParams(doc: unknown): Set<string> {
  const out = new Set<string>();
  if (!isRecord(doc) || !Array.isArray(doc.parameters)) return out;
  for (const p of doc.parameters)
    if (isRecord(p) && p.kind === 'number' && typeof p.name === 'string') out.add(p.name);
  return out;
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
