/**
 * Where each brand page lives — the one place URLs are built. Every brand page is under
 * `/brands/<slug>/…`; the brand is resolved from that slug through the signed-in user's
 * membership (requireMember), never from a query string.
 */
const seg = (value: string) => encodeURIComponent(value);

/** The brand's home: its flows. */
export const brandPath = (slug: string) => `/brands/${seg(slug)}`;

export const flowPath = (slug: string, flowId: string) => `${brandPath(slug)}/flows/${seg(flowId)}`;

/** The editor's JSON endpoints. */
export const flowEndpoint = (
  slug: string,
  flowId: string,
  endpoint: 'draft' | 'audience' | 'tags' | 'scenarios' | 'test-send' | 'dry-run',
) => `${flowPath(slug, flowId)}/${endpoint}`;

export const versionPath = (slug: string, flowId: string, version: number) =>
  `${flowPath(slug, flowId)}/versions/${version}`;

/** The brand's resource pages, in the sub-navigation's order. */
export const RESOURCE_SECTIONS = [
  'tags',
  'coupons',
  'menus',
  'qr',
  'message-templates',
  'templates',
  'test-followers',
  'settings',
] as const;
export type ResourceSection = (typeof RESOURCE_SECTIONS)[number];

/** The brand's administration pages (admins and owners), after the resources. */
export const ADMIN_SECTIONS = ['members', 'connection', 'api-keys', 'audit'] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number];

export const sectionPath = (slug: string, section: ResourceSection | AdminSection) =>
  `${brandPath(slug)}/${section}`;

export const qrImagePath = (slug: string, channelId: string) =>
  `${sectionPath(slug, 'qr')}/${seg(channelId)}.png`;

/**
 * The same page on another brand, for the brand switcher: a resource section stays the
 * section; anything else (a flow, a version) goes to the other brand's home.
 */
export function switchBrandPath(pathname: string, slug: string): string {
  const section = /^\/brands\/[^/]+\/([^/]+)\/?$/.exec(pathname)?.[1];
  return section &&
    ([...RESOURCE_SECTIONS, ...ADMIN_SECTIONS] as readonly string[]).includes(section)
    ? sectionPath(slug, section as ResourceSection | AdminSection)
    : brandPath(slug);
}
