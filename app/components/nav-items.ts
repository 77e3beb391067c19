import type { ParseKeys } from 'i18next';

export interface NavItem {
  to: string;
  labelKey: ParseKeys;
  /** Active only on this exact path (for `/`, which every path starts with). */
  end?: boolean;
}

/**
 * The top-level sections, in display order. A section is listed once its route exists —
 * Followers, QR channels, Coupons, Menus, Templates… join here with their pages.
 */
/** A key of the `resources` namespace, addressed from the default one as `resources:<key>`. */
const resourcesKey = (key: ParseKeys<'resources'>) => `resources:${key}` as unknown as ParseKeys;

export const navItems: readonly NavItem[] = [
  { to: '/', labelKey: 'nav.flows', end: true },
  // Brand resources the flow editor's pickers draw on.
  { to: '/tags', labelKey: resourcesKey('nav.tags') },
  { to: '/coupons', labelKey: resourcesKey('nav.coupons') },
  { to: '/menus', labelKey: resourcesKey('nav.menus') },
  { to: '/qr', labelKey: resourcesKey('nav.qr') },
  { to: '/settings', labelKey: resourcesKey('nav.settings') },
];
