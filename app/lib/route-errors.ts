/**
 * Why a loader or action refused a request. Routes throw `data(reason, { status })`; the
 * error boundary turns the reason into a translated sentence.
 */
export type ErrorReason = { reason: 'brand-not-found'; slug: string } | { reason: 'bad-language' };

export function errorReason(value: unknown): ErrorReason | undefined {
  if (typeof value !== 'object' || value === null || !('reason' in value)) return undefined;
  const candidate = value as { reason: unknown; slug?: unknown };
  if (candidate.reason === 'brand-not-found' && typeof candidate.slug === 'string') {
    return { reason: 'brand-not-found', slug: candidate.slug };
  }
  if (candidate.reason === 'bad-language') return { reason: 'bad-language' };
  return undefined;
}
