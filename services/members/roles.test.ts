import { describe, expect, it } from 'vitest';
import {
  REQUIRED_ROLE,
  ROLES,
  atLeast,
  can,
  canAssign,
  higherRole,
  isRole,
  type Permission,
  type Role,
} from './roles';

describe('role order', () => {
  it.each<[Role, Role, boolean]>([
    ['owner', 'owner', true],
    ['owner', 'viewer', true],
    ['admin', 'owner', false],
    ['admin', 'admin', true],
    ['admin', 'editor', true],
    ['editor', 'admin', false],
    ['editor', 'editor', true],
    ['editor', 'viewer', true],
    ['viewer', 'editor', false],
    ['viewer', 'viewer', true],
  ])('atLeast(%s, %s) = %s', (role, min, expected) => {
    expect(atLeast(role, min)).toBe(expected);
  });

  it('lists roles highest first, each strictly above the next', () => {
    for (let i = 0; i + 1 < ROLES.length; i++) {
      expect(atLeast(ROLES[i]!, ROLES[i + 1]!)).toBe(true);
      expect(atLeast(ROLES[i + 1]!, ROLES[i]!)).toBe(false);
    }
  });

  it.each<[Role, Role, Role]>([
    ['viewer', 'editor', 'editor'],
    ['admin', 'viewer', 'admin'],
    ['owner', 'owner', 'owner'],
  ])('higherRole(%s, %s) = %s', (a, b, expected) => {
    expect(higherRole(a, b)).toBe(expected);
    expect(higherRole(b, a)).toBe(expected);
  });

  it.each([
    ['owner', true],
    ['viewer', true],
    ['Owner', false],
    ['superuser', false],
    ['', false],
    [undefined, false],
    [3, false],
  ])('isRole(%j) = %s', (value, expected) => {
    expect(isRole(value)).toBe(expected);
  });
});

describe('what each role may do (the issue: owner > admin > editor > viewer)', () => {
  const table: Record<Role, Permission[]> = {
    viewer: ['brand.read', 'analytics.read'],
    editor: [
      'flow.edit',
      'flow.publish',
      'flow.pause',
      'flow.archive',
      'resources.manage',
      'templates.use',
    ],
    admin: [
      'brand.manage',
      'credentials.manage',
      'apiKeys.manage',
      'members.manage',
      'audit.read',
      'templates.publish',
    ],
    owner: ['organization.manage'],
  };
  const all = Object.keys(REQUIRED_ROLE) as Permission[];

  it('every permission is in the table exactly once', () => {
    expect(Object.values(table).flat().sort()).toEqual([...all].sort());
  });

  for (const role of ROLES) {
    // A role may do what it is listed for and everything below it; nothing above it.
    const allowed = new Set(ROLES.slice(ROLES.indexOf(role)).flatMap((r) => table[r]));
    it.each(all)(`${role}: %s`, (permission) => {
      expect(can(role, permission)).toBe(allowed.has(permission));
    });
  }
});

describe('who may give which role', () => {
  it.each<[Role, Role, boolean]>([
    ['owner', 'owner', true],
    ['owner', 'admin', true],
    ['admin', 'owner', false],
    ['admin', 'admin', true],
    ['admin', 'viewer', true],
    ['editor', 'viewer', false],
    ['editor', 'editor', false],
    ['viewer', 'viewer', false],
  ])('canAssign(%s, %s) = %s', (actor, role, expected) => {
    expect(canAssign(actor, role)).toBe(expected);
  });
});
