/**
 * Where a webhook may go: public addresses, plus the hosts and networks the operator allows
 * (WEBHOOK_ALLOW_HOSTS). One classifier for both checks — at save time (an IP literal or
 * `localhost` in the URL) and at connect time (every address a name resolves to).
 *
 * Pure: addresses are parsed from their text (the canonical forms URL and DNS give, plus the
 * operator's list), so the editor, the server and the worker share it.
 */

export type AddressCategory =
  | 'public'
  | 'loopback'
  | 'private'
  | 'linkLocal'
  | 'uniqueLocal'
  | 'cgnat'
  | 'metadata'
  | 'unspecified'
  | 'multicast'
  | 'reserved';

/** An address as bytes: 4 for IPv4, 16 for IPv6. */
type Bytes = number[];

function parseV4(text: string): Bytes | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return null;
  const bytes = m.slice(1).map(Number);
  return bytes.every((b) => b <= 255) ? bytes : null;
}

function parseV6(text: string): Bytes | null {
  let s = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  s = s.replace(/%.*$/, ''); // a zone (fe80::1%eth0) does not change the address
  if (!/^[0-9a-fA-F:.]+$/.test(s) || !s.includes(':')) return null;
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const items = part.split(':');
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (i === items.length - 1 && item.includes('.')) {
        const v4 = parseV4(item);
        if (!v4) return null;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(item)) out.push(parseInt(item, 16));
      else return null;
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}

/** The bytes of an IP address written as text (IPv6 may be in brackets), or null. */
export function parseIp(text: string): Bytes | null {
  return parseV4(text) ?? parseV6(text);
}

export function isIpLiteral(host: string): boolean {
  return parseIp(host) !== null;
}

function inPrefix(address: Bytes, network: Bytes, prefix: number): boolean {
  if (address.length !== network.length) return false;
  for (let bit = 0; bit < prefix; bit += 8) {
    const take = Math.min(8, prefix - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    if ((address[bit / 8]! & mask) !== (network[bit / 8]! & mask)) return false;
  }
  return true;
}

type Range = [network: string, prefix: number, category: AddressCategory | 'embedded-v4'];

/** Cloud metadata services (AWS, GCP, Azure, Alibaba, Tencent, ECS tasks), before their ranges. */
const METADATA = [
  '169.254.169.254',
  '169.254.169.253',
  '169.254.170.2',
  '100.100.100.200',
  'fd00:ec2::254',
  'fd00:ec2::23',
].map((a) => parseIp(a)!);

const V4: Range[] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'cgnat'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'linkLocal'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'reserved'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];
const V6: Range[] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['::ffff:0:0', 96, 'embedded-v4'], // IPv4-mapped
  ['::', 96, 'reserved'], // IPv4-compatible (deprecated)
  ['64:ff9b::', 96, 'embedded-v4'], // NAT64
  ['64:ff9b:1::', 48, 'private'], // local-use NAT64
  ['100::', 64, 'reserved'], // discard
  ['2001:db8::', 32, 'reserved'], // documentation
  ['2001::', 23, 'reserved'], // IETF protocol assignments, Teredo
  ['2002::', 16, 'embedded-v4'], // 6to4: the IPv4 address in bits 16–47
  ['fc00::', 7, 'uniqueLocal'],
  ['fe80::', 10, 'linkLocal'],
  ['fec0::', 10, 'private'], // site-local (deprecated)
  ['ff00::', 8, 'multicast'],
];
const V4_MAPPED = parseIp('::ffff:0:0')!;
const RANGES = [...V4, ...V6].map(([net, prefix, category]) => ({
  bytes: parseIp(net)!,
  prefix,
  category,
}));

function classifyBytes(bytes: Bytes): AddressCategory {
  if (METADATA.some((m) => m.length === bytes.length && m.every((b, i) => b === bytes[i])))
    return 'metadata';
  const range = RANGES.find((r) => inPrefix(bytes, r.bytes, r.prefix));
  if (!range) return 'public';
  if (range.category !== 'embedded-v4') return range.category;
  const v4 = range.prefix === 16 ? bytes.slice(2, 6) : bytes.slice(12, 16);
  return classifyBytes(v4);
}

/** What kind of address `ip` is; text that is not an address is `reserved` (never public). */
export function classifyAddress(ip: string): AddressCategory {
  const bytes = parseIp(ip);
  return bytes ? classifyBytes(bytes) : 'reserved';
}

// --- the operator's allow-list ---------------------------------------------------------

export type AllowEntry =
  | { kind: 'host'; name: string; subdomains: boolean }
  | { kind: 'net'; bytes: Bytes; prefix: number };

const HOSTNAME =
  /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** A host name as compared: lower case, without a trailing dot or IPv6 brackets. */
export function normalizeHost(host: string): string {
  const h = host.toLowerCase().replace(/\.$/, '');
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

/**
 * WEBHOOK_ALLOW_HOSTS: entries separated by commas or spaces — a host name (`crm.internal`),
 * `*.` and a domain (its subdomains), an IP address, or a network in CIDR (`10.1.0.0/16`,
 * `fd00:1::/64`). Entries that are none of these come back in `invalid`.
 */
export function parseAllowList(list: string | readonly string[]): {
  entries: AllowEntry[];
  invalid: string[];
} {
  const items = (
    typeof list === 'string' ? list.split(/[\s,]+/) : list.flatMap((l) => l.split(/[\s,]+/))
  )
    .map((s) => s.trim())
    .filter(Boolean);
  const entries: AllowEntry[] = [];
  const invalid: string[] = [];
  for (const item of items) {
    const [address, prefixText, ...rest] = item.split('/');
    const bytes = parseIp(address!);
    if (bytes && rest.length === 0) {
      const max = bytes.length * 8;
      const prefix =
        prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
      if (prefix >= 0 && prefix <= max) entries.push({ kind: 'net', bytes, prefix });
      else invalid.push(item);
      continue;
    }
    const name = normalizeHost(item);
    const subdomains = name.startsWith('*.');
    const bare = subdomains ? name.slice(2) : name;
    if (prefixText === undefined && HOSTNAME.test(bare))
      entries.push({ kind: 'host', name: bare, subdomains });
    else invalid.push(item);
  }
  return { entries, invalid };
}

const parsedLists = new Map<string, AllowEntry[]>();
function entriesOf(list: readonly string[]): AllowEntry[] {
  const key = list.join(',');
  let entries = parsedLists.get(key);
  if (!entries) {
    entries = parseAllowList(list).entries;
    if (parsedLists.size > 50) parsedLists.clear();
    parsedLists.set(key, entries);
  }
  return entries;
}

/** Whether the operator allows this host by name. */
export function hostAllowed(allowList: readonly string[], host: string): boolean {
  const h = normalizeHost(host);
  return entriesOf(allowList).some(
    (e) => e.kind === 'host' && (e.subdomains ? h.endsWith(`.${e.name}`) : h === e.name),
  );
}

/** Whether the operator allows this address (it is in one of the listed networks). */
export function addressAllowed(allowList: readonly string[], ip: string): boolean {
  const bytes = parseIp(ip);
  if (!bytes) return false;
  // An IPv4-mapped IPv6 address is its IPv4 address.
  const mapped = bytes.length === 16 && inPrefix(bytes, V4_MAPPED, 96) ? bytes.slice(12) : null;
  return entriesOf(allowList).some(
    (e) =>
      e.kind === 'net' &&
      (inPrefix(bytes, e.bytes, e.prefix) ||
        (mapped !== null && inPrefix(mapped, e.bytes, e.prefix))),
  );
}

export interface RefusedTarget {
  host: string;
  address: string;
  category: Exclude<AddressCategory, 'public'>;
}

/**
 * Connect time: `address` is what `host` resolved to (or the host itself, an IP literal).
 * Refused when it is not public and neither the host nor the address is allowed.
 */
export function refusedAddress(
  allowList: readonly string[],
  host: string,
  address: string,
): RefusedTarget | null {
  const category = classifyAddress(address);
  if (category === 'public') return null;
  if (hostAllowed(allowList, host) || addressAllowed(allowList, address)) return null;
  return { host: normalizeHost(host), address, category };
}

/**
 * Save time: what the URL's host says by itself — an IP literal, or `localhost` (and its
 * subdomains, RFC 6761) — refused unless allowed. A name is checked again once resolved.
 */
export function refusedUrl(allowList: readonly string[], url: string): RefusedTarget | null {
  let host: string;
  try {
    host = normalizeHost(new URL(url).hostname);
  } catch {
    return null; // not a URL: the schema says so
  }
  if (isIpLiteral(host)) return refusedAddress(allowList, host, host);
  if (host === 'localhost' || host.endsWith('.localhost')) {
    if (hostAllowed(allowList, host)) return null;
    return { host, address: host, category: 'loopback' };
  }
  return null;
}
