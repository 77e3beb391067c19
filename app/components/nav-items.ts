import type { ParseKeys } from 'i18next';
import { brandPath, RESOURCE_SECTIONS, sectionPath } from '~/lib/paths';

export interface NavItem {
  to: string;
  labelKey: ParseKeys;
  /** Active only on this exact path (for a brand's home, which every brand path starts with). */
  end?: boolean;
}

/** A key of the `resources` namespace, addressed from the default one as `resources:<key>`. */
const resourcesKey = (key: ParseKeys<'resources'>) => `resources:${key}` as unknown as ParseKeys;

/**
 * The top-level sections, in display order — all of them pages of one brand, so they are
 * listed only on a brand's pages (`slug` from the URL); elsewhere the header has only the
 * way to the list of one's brands.
 */
export function navItems(slug: string | undefined): readonly NavItem[] {
  if (!slug) return [{ to: '/', labelKey: 'nav.brands', end: true }];
  return [
    { to: brandPath(slug), labelKey: 'nav.flows', end: true },
    // Brand resources the flow editor's pickers draw on.
    ...RESOURCE_SECTIONS.map((section) => ({
      to: sectionPath(slug, section),
      labelKey: resourcesKey(`nav.${section}`),
    })),
  ];
}
