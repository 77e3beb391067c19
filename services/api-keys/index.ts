/**
 * API keys for the events API (POST /api/v1/brands/<slug>/events): created with a name and
 * shown once, listed by name and prefix (never the key), revoked. Admins and owners only;
 * the CLI's `apikey` commands run the same use cases as the operator. Stored by ./store.ts
 * (a SHA-256 of the key).
 */
import { createApiKey, listApiKeys, revokeApiKey, type ApiKeyRow } from './store';
import type { AuditService } from '../audit';
import { clockOf, type Actor, type ServiceDeps } from '../deps';
import { ServiceError } from '../errors';
import type { MembershipsService } from '../members/memberships';
import { createBrandAccess } from '../brands/access';

export type { ApiKeyRow } from './store';

export const API_KEY_NAME_MAX = 100;

export function parseApiKeyName(value: unknown): string {
  const name = typeof value === 'string' ? value.trim() : '';
  if (!name)
    throw new ServiceError('apikey_name_missing', 'say what the key is for (a name)', 'name');
  if (name.length > API_KEY_NAME_MAX) {
    throw new ServiceError(
      'apikey_name_too_long',
      `a key's name has at most ${API_KEY_NAME_MAX} characters`,
      'name',
      { max: API_KEY_NAME_MAX },
    );
  }
  return name;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createApiKeys(
  deps: ServiceDeps & { audit: AuditService; memberships: MembershipsService },
) {
  const now = clockOf(deps);
  const brandFor = createBrandAccess(deps);

  return {
    /** A new key for the brand `slug`; `key` is the only time the key is seen. */
    async create(
      actor: Actor,
      slug: string,
      input: { name: unknown },
    ): Promise<{ id: string; name: string; prefix: string; key: string; brandSlug: string }> {
      const brand = await brandFor(actor, slug, 'apiKeys.manage');
      const name = parseApiKeyName(input.name);
      const created = await deps.db.transaction(async (tx) => {
        const made = await createApiKey(tx, brand.id, name);
        await deps.audit.record(
          {
            actor,
            action: 'apikey.created',
            organizationId: brand.organizationId,
            brandId: brand.id,
            target: { type: 'api_key', id: made.id },
            details: { name, prefix: made.prefix },
          },
          tx,
        );
        return made;
      });
      return { ...created, name, brandSlug: brand.slug };
    },

    /** The brand's keys, newest first: name, prefix, created, last used, revoked. */
    async list(actor: Actor, slug: string): Promise<ApiKeyRow[]> {
      const brand = await brandFor(actor, slug, 'apiKeys.manage');
      return listApiKeys(deps.db, brand.id);
    },

    /** Revokes one of the brand's keys; another brand's key, or a revoked one, is unknown. */
    async revoke(
      actor: Actor,
      slug: string,
      id: unknown,
    ): Promise<{ id: string; name: string; prefix: string }> {
      const brand = await brandFor(actor, slug, 'apiKeys.manage');
      const unknown = new ServiceError(
        'apikey_unknown',
        'this brand has no such key, or it is revoked already',
        'id',
      );
      if (typeof id !== 'string' || !UUID.test(id)) throw unknown;
      return deps.db.transaction(async (tx) => {
        const revoked = await revokeApiKey(tx, brand.id, id, now());
        if (!revoked) throw unknown;
        await deps.audit.record(
          {
            actor,
            action: 'apikey.revoked',
            organizationId: brand.organizationId,
            brandId: brand.id,
            target: { type: 'api_key', id: revoked.id },
            details: { name: revoked.name, prefix: revoked.prefix },
          },
          tx,
        );
        return revoked;
      });
    },
  };
}

export type ApiKeysService = ReturnType<typeof createApiKeys>;
