/**
 * Where a form may send the browser back to: a path on this site, nothing else. Browsers
 * drop tabs and line breaks from URLs and read `\` as `/`, so `/\t/evil.example` and
 * `/\evil.example` are `//evil.example` to them — an open redirect, a phishing aid. And CR/LF
 * in a Location header is a header injection (Node refuses the header: a 500). The value is
 * resolved the way a browser would and kept only when it stays on our origin and holds no
 * control character or backslash at all.
 */
const BASE = 'http://fanfare.invalid';
const MAX_LENGTH = 2_048;

/**
 * The same-origin path `value` names (normalised: path, query and fragment), or null when it
 * is not one. An absent or empty value is `fallback`.
 */
export function safeRedirectPath(value: unknown, fallback = '/'): string | null {
  if (value === null || value === undefined || value === '') return fallback;
  if (typeof value !== 'string' || value.length > MAX_LENGTH) return null;
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return null;
  if (!value.startsWith('/') || value.startsWith('//')) return null;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return null;
  }
  if (url.origin !== BASE) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}
