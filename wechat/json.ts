/**
 * JSON.parse that never loses a 64-bit id: integers under keys in `stringKeys` become strings,
 * and so does any other integer outside the safe range. Works on the text, so it needs no
 * reviver source access (not in Node 20).
 */
export const ID_KEYS: ReadonlySet<string> = new Set(['msgid', 'msg_id', 'msg_data_id']);

export function parseJsonSafe(text: string, stringKeys: ReadonlySet<string> = ID_KEYS): unknown {
  let out = '';
  let i = 0;
  let lastKey: string | null = null;
  let pendingKey: string | null = null;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const literal = text.slice(i, j + 1);
      out += literal;
      i = j + 1;
      let k = i;
      while (k < n && /\s/.test(text[k]!)) k++;
      pendingKey = text[k] === ':' ? safeString(literal) : null;
      continue;
    }
    if (c === ':') {
      lastKey = pendingKey;
      pendingKey = null;
      out += c;
      i++;
      continue;
    }
    if (c === '-' || (c >= '0' && c <= '9')) {
      let j = i + 1;
      while (j < n && /[0-9.eE+-]/.test(text[j]!)) j++;
      const num = text.slice(i, j);
      const isInteger = /^-?\d+$/.test(num);
      const quote =
        isInteger &&
        ((lastKey !== null && stringKeys.has(lastKey)) || !Number.isSafeInteger(Number(num)));
      out += quote ? `"${num}"` : num;
      i = j;
      continue;
    }
    if (c === ',' || c === '{' || c === '[' || c === '}' || c === ']') lastKey = null;
    out += c;
    i++;
  }
  return JSON.parse(out);
}

function safeString(literal: string): string | null {
  try {
    return JSON.parse(literal) as string;
  } catch {
    return null;
  }
}
