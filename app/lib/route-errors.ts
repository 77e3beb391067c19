import { isRole, type Role } from '../../services/members/roles';

/**
 * Why a loader or action refused a request. Routes throw `data(reason, { status })`; the
 * error boundary turns the reason into a translated sentence.
 */
import type { RefusalReason } from './http/body.server';

const REFUSALS: readonly string[] = [
  'crossSite',
  'tooLarge',
  'notJson',
  'badJson',
  'notForm',
  'badForm',
  'badText',
  'badRedirect',
  'unreadable',
] satisfies (RefusalReason | 'badRedirect')[];

export type ErrorReason =
  | { reason: 'brand-not-found'; slug: string }
  | { reason: 'bad-language' }
  /** The request itself was refused (lib/http/guard.server): `errors.refused.<why>`. */
  | { reason: 'refused'; why: RefusalReason | 'badRedirect'; limit?: string }
  /** No session (401); the page offers the sign-in link. */
  | { reason: 'unauthenticated' }
  /** A member below the role the action needs (403). */
  | { reason: 'forbidden'; role: Role; need: Role }
  /** A state-changing request from another site (403). */
  | { reason: 'cross-site' };

export function errorReason(value: unknown): ErrorReason | undefined {
  if (typeof value !== 'object' || value === null || !('reason' in value)) return undefined;
  const candidate = value as { reason: unknown; slug?: unknown; why?: unknown; limit?: unknown };
  if (candidate.reason === 'brand-not-found' && typeof candidate.slug === 'string') {
    return { reason: 'brand-not-found', slug: candidate.slug };
  }
  if (candidate.reason === 'bad-language') return { reason: 'bad-language' };
  if (
    candidate.reason === 'refused' &&
    typeof candidate.why === 'string' &&
    REFUSALS.includes(candidate.why)
  ) {
    return {
      reason: 'refused',
      why: candidate.why as RefusalReason | 'badRedirect',
      ...(typeof candidate.limit === 'string' ? { limit: candidate.limit } : {}),
    };
  }
  if (candidate.reason === 'unauthenticated') return { reason: 'unauthenticated' };
  if (candidate.reason === 'cross-site') return { reason: 'cross-site' };
  const { role, need } = value as { role?: unknown; need?: unknown };
  if (candidate.reason === 'forbidden' && isRole(role) && isRole(need)) {
    return { reason: 'forbidden', role, need };
  }
  return undefined;
}
