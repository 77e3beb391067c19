/**
 * Roles, their order and what each may do — the one place these rules live. Pure (no I/O),
 * so the server's checks and the UI's "show this button?" agree.
 *
 * owner  > admin > editor > viewer
 * - owner:  everything, including members and the organization itself
 * - admin:  brands, WeChat credentials, API keys, members, the audit log
 * - editor: build, publish, pause flows; brand resources (tags, coupons, menus, QR, templates);
 *           use the organization's flow templates
 * - admin also publishes flow templates to the organization's library
 * - viewer: reads everything, analytics; changes nothing
 */
import type { memberships } from '../../db/schema';

/** Highest first. */
export const ROLES = ['owner', 'admin', 'editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

// The schema's role column lists the same names (a compile error here if the two drift).
type StoredRole = (typeof memberships.$inferSelect)['role'];
const _sameRoles: [Role, StoredRole] extends [StoredRole, Role] ? true : never = true;
void _sameRoles;

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2, owner: 3 };

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** True when `role` is `min` or above it. */
export function atLeast(role: Role, min: Role): boolean {
  return RANK[role] >= RANK[min];
}

/** The higher of two roles (a brand membership can raise an organization role, never lower it). */
export function higherRole(a: Role, b: Role): Role {
  return RANK[a] >= RANK[b] ? a : b;
}

/** The least role each action needs. */
export const REQUIRED_ROLE = {
  'brand.read': 'viewer',
  'analytics.read': 'viewer',
  'flow.edit': 'editor',
  'flow.publish': 'editor',
  'flow.pause': 'editor',
  'flow.archive': 'editor',
  'resources.manage': 'editor',
  /** Make a brand flow from a template of the organization's library, update it. */
  'templates.use': 'editor',
  /** Add a template (or a new version of one) to the organization's library. */
  'templates.publish': 'admin',
  'brand.manage': 'admin',
  'credentials.manage': 'admin',
  'apiKeys.manage': 'admin',
  'members.manage': 'admin',
  'audit.read': 'admin',
  'organization.manage': 'owner',
} as const satisfies Record<string, Role>;
export type Permission = keyof typeof REQUIRED_ROLE;

export function can(role: Role, permission: Permission): boolean {
  return atLeast(role, REQUIRED_ROLE[permission]);
}

/**
 * Whether `actor` may give someone `role` (invite, add, change) or change/remove a member who
 * holds `role`: members managers only, and never above themselves — an admin cannot create or
 * demote an owner.
 */
export function canAssign(actor: Role, role: Role): boolean {
  return can(actor, 'members.manage') && atLeast(actor, role);
}
