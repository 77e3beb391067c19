/**
 * Brands managed in the UI: creating a brand in an organization, its WeChat Official Account
 * credentials (write-only: a read answers masked forms, never a secret), and "test connection"
 * (an access token fetched with the stored credentials). Admins and owners only
 * (services/members/roles.ts); every change is audited in its own transaction.
 */
import { and, eq, isNull } from 'drizzle-orm';
import {
  AES_KEY,
  APP_ID,
  APP_SECRET,
  BRAND_SLUG,
  CALLBACK_MODES,
  CALLBACK_TOKEN,
  isConnected,
  type CallbackMode,
} from './account';
import { brands, memberships, organizations, wechatTokens } from '../../db/schema';
import type { SecretBox } from '../secrets';
import { PgWechatTokenStore } from '../wechat/token-store';
import { DEFAULT_API_BASE, fetchStableToken } from '../../wechat/client';
import { WechatError } from '../../wechat/errors';
import type { AuditService } from '../audit';
import { clockOf, type Actor, type ServiceDeps } from '../deps';
import { ServiceError, collectProblems, isUniqueViolation } from '../errors';
import type { MembershipsService } from '../members/memberships';
import type { Organization } from '../members/organizations';
import { can } from '../members/roles';
import { createBrandAccess, forbidden, type ActedBrand } from './access';

export { createBrandAccess, type ActedBrand } from './access';

/** A form refused for several reasons at once: the first is the error, all are `problems`. */
export class InputProblems extends ServiceError {
  constructor(readonly problems: ServiceError[]) {
    const first = problems[0]!;
    super(first.code, first.message, first.field, first.values);
  }
}

function throwAll(problems: ServiceError[]): void {
  if (problems.length) throw new InputProblems(problems);
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

export function parseBrandName(value: unknown): string {
  const name = text(value);
  if (!name) throw new ServiceError('brand_name_missing', 'give the brand a name', 'name');
  if (name.length > 100)
    throw new ServiceError(
      'brand_name_too_long',
      'a brand name has at most 100 characters',
      'name',
    );
  return name;
}

export function parseBrandSlug(value: unknown): string {
  const slug = text(value);
  if (!BRAND_SLUG.test(slug)) {
    throw new ServiceError(
      'brand_slug_invalid',
      'a short name is 2–40 lowercase letters, digits and dashes, starting with a letter or digit',
      'slug',
    );
  }
  return slug;
}

/** `••••3f9a`: the last four characters of a long secret, nothing of a short one. */
export function mask(secret: string): string {
  return secret.length >= 12 ? `••••${secret.slice(-4)}` : '••••';
}

export interface SecretState {
  set: boolean;
  /** e.g. `••••3f9a`; null when not set. */
  masked: string | null;
}

/** What the connection page may show: no secret, ever. */
export interface ConnectionView {
  brand: { id: string; slug: string; name: string };
  connected: boolean;
  appId: string | null;
  appSecret: SecretState;
  token: SecretState;
  aesKey: SecretState;
  mode: CallbackMode;
  /** Where the brand's WeChat API calls go. */
  apiBase: string;
}

export interface CredentialsInput {
  appId?: unknown;
  /** Empty or absent: keep the stored one. */
  appSecret?: unknown;
  token?: unknown;
  aesKey?: unknown;
  mode?: unknown;
}

export type ConnectionTest =
  | { ok: true; apiBase: string; expiresIn: number }
  | { ok: false; reason: 'not_connected' }
  | { ok: false; reason: 'wechat'; apiBase: string; errcode: number; errmsg: string }
  | { ok: false; reason: 'unreachable'; apiBase: string; detail: string };

/** `<public base URL>/wechat/<slug>`: the URL to paste into the WeChat console. */
export function callbackUrl(publicBase: string, slug: string): string {
  return `${publicBase.replace(/\/+$/, '')}/wechat/${slug}`;
}

export function createBrands(
  deps: ServiceDeps & { audit: AuditService; memberships: MembershipsService },
) {
  const now = clockOf(deps);
  const brandFor = createBrandAccess(deps);
  const box = (): SecretBox => {
    if (!deps.box) throw new Error('the brand use cases need the SecretBox (deps.box)');
    return deps.box;
  };
  const open = (sealed: string | null): string => (sealed ? box().open(sealed) : '');
  const secretState = (sealed: string | null): SecretState => {
    const plain = open(sealed);
    return plain ? { set: true, masked: mask(plain) } : { set: false, masked: null };
  };
  const apiBaseOf = (row: { apiBase: string | null }) =>
    row.apiBase ?? deps.wechatApiBase ?? DEFAULT_API_BASE;

  async function row(brandId: string) {
    const [found] = await deps.db.select().from(brands).where(eq(brands.id, brandId));
    if (!found) throw new ServiceError('brand_unknown', 'the brand no longer exists', 'brand');
    return found;
  }

  function view(brand: ActedBrand, r: typeof brands.$inferSelect): ConnectionView {
    return {
      brand: { id: brand.id, slug: brand.slug, name: brand.name },
      connected: isConnected(r),
      appId: r.appId || null,
      appSecret: secretState(r.appSecretEnc),
      token: secretState(r.callbackTokenEnc),
      aesKey: secretState(r.aesKeyEnc),
      mode: r.callbackMode,
      apiBase: apiBaseOf(r),
    };
  }

  /** Organizations the actor may create a brand in: where they are admin or owner. */
  async function organizationsForNewBrand(actor: Actor): Promise<Organization[]> {
    const columns = { id: organizations.id, name: organizations.name, slug: organizations.slug };
    if (actor.kind === 'operator') {
      return deps.db.select(columns).from(organizations).orderBy(organizations.name);
    }
    const rows = await deps.db
      .select({ ...columns, role: memberships.role })
      .from(memberships)
      .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
      .where(and(eq(memberships.userId, actor.userId), isNull(memberships.brandId)))
      .orderBy(organizations.name);
    return rows.filter((r) => can(r.role, 'brand.manage')).map(({ role: _role, ...o }) => o);
  }

  return {
    organizationsForNewBrand,

    /**
     * A new brand in the organization `organization` (its slug), not connected to WeChat yet
     * (the connection page sets its credentials). Needs admin or owner in that organization.
     */
    async create(
      actor: Actor,
      input: { organization: unknown; name: unknown; slug: unknown },
    ): Promise<{ id: string; slug: string; name: string; organizationId: string }> {
      const orgSlug = text(input.organization);
      const allowed = await organizationsForNewBrand(actor);
      const organization = allowed.find((o) => o.slug === orgSlug);
      const problems = collectProblems([
        () => parseBrandName(input.name),
        () => parseBrandSlug(input.slug),
      ]);
      if (!organization) {
        // A member of it below admin is told why; anyone else learns nothing about it.
        const mine =
          actor.kind === 'user'
            ? (await deps.memberships.organizationsOf(actor.userId)).find((o) => o.slug === orgSlug)
            : undefined;
        const role =
          mine && actor.kind === 'user'
            ? await deps.memberships.roleInOrganization(actor.userId, mine.id)
            : null;
        if (role) throw forbidden(role, 'brand.manage');
        problems.unshift(
          new ServiceError(
            'organization_unknown',
            `no organization "${orgSlug}" you may add brands to`,
            'organization',
          ),
        );
      }
      throwAll(problems);
      const name = parseBrandName(input.name);
      const slug = parseBrandSlug(input.slug);
      const org = organization!;
      try {
        return await deps.db.transaction(async (tx) => {
          const [created] = await tx
            .insert(brands)
            .values({
              organizationId: org.id,
              slug,
              name,
              // Not connected yet: the connection page sets these.
              appId: '',
              appSecretEnc: '',
              callbackTokenEnc: '',
            })
            .returning({ id: brands.id, slug: brands.slug, name: brands.name });
          await deps.audit.record(
            {
              actor,
              action: 'brand.created',
              organizationId: org.id,
              brandId: created!.id,
              target: { type: 'brand', id: created!.id },
              details: { slug, name },
            },
            tx,
          );
          return { ...created!, organizationId: org.id };
        });
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new ServiceError(
            'brand_slug_taken',
            `a brand with the short name "${slug}" exists already`,
            'slug',
            { slug },
          );
        }
        throw error;
      }
    },

    /** The brand's WeChat connection as the page shows it: secrets masked. Admin or owner. */
    async connection(actor: Actor, slug: string): Promise<ConnectionView> {
      const brand = await brandFor(actor, slug, 'credentials.manage');
      return view(brand, await row(brand.id));
    },

    /**
     * Sets or replaces the Official Account credentials. An empty secret field keeps the stored
     * secret; a new AppId needs its AppSecret; compatible and safe mode need an EncodingAESKey.
     * A changed AppId or AppSecret drops the stored access token (it belonged to the old ones).
     */
    async setCredentials(
      actor: Actor,
      slug: string,
      input: CredentialsInput,
    ): Promise<ConnectionView> {
      const brand = await brandFor(actor, slug, 'credentials.manage');
      const current = await row(brand.id);
      const appId = text(input.appId);
      const appSecret = text(input.appSecret);
      const token = text(input.token);
      const aesKey = text(input.aesKey);
      const mode = text(input.mode) || 'plaintext';
      const appIdChanged = appId !== current.appId;
      const problems = collectProblems([
        () => {
          if (!APP_ID.test(appId)) {
            throw new ServiceError(
              'app_id_invalid',
              'an AppId is wx followed by 16 letters and digits',
              'appId',
            );
          }
        },
        () => {
          if (appSecret) {
            if (!APP_SECRET.test(appSecret)) {
              throw new ServiceError(
                'app_secret_invalid',
                'an AppSecret is 16–64 characters without spaces',
                'appSecret',
              );
            }
          } else if (!current.appSecretEnc || (appIdChanged && current.appId)) {
            throw new ServiceError(
              'app_secret_missing',
              current.appSecretEnc
                ? 'a new AppId needs its AppSecret'
                : 'enter the AppSecret from the WeChat console',
              'appSecret',
              { reason: current.appSecretEnc ? 'new_app_id' : 'none' },
            );
          }
        },
        () => {
          if (token) {
            if (!CALLBACK_TOKEN.test(token)) {
              throw new ServiceError(
                'callback_token_invalid',
                'a Token is 3–32 letters and digits',
                'token',
              );
            }
          } else if (!current.callbackTokenEnc) {
            throw new ServiceError(
              'callback_token_missing',
              'enter the Token set on the WeChat console',
              'token',
            );
          }
        },
        () => {
          if (!(CALLBACK_MODES as readonly string[]).includes(mode)) {
            throw new ServiceError(
              'callback_mode_invalid',
              'choose plaintext, compatible or safe mode',
              'mode',
            );
          }
        },
        () => {
          if (aesKey) {
            if (!AES_KEY.test(aesKey)) {
              throw new ServiceError(
                'aes_key_invalid',
                'an EncodingAESKey is 43 letters and digits',
                'aesKey',
              );
            }
          } else if (mode !== 'plaintext' && !current.aesKeyEnc) {
            throw new ServiceError(
              'aes_key_missing',
              'compatible and safe mode need the EncodingAESKey',
              'aesKey',
            );
          }
        },
      ]);
      throwAll(problems);

      const changed = [
        ...(appIdChanged ? ['appId'] : []),
        ...(appSecret && appSecret !== open(current.appSecretEnc) ? ['appSecret'] : []),
        ...(token && token !== open(current.callbackTokenEnc) ? ['token'] : []),
        ...(aesKey && aesKey !== open(current.aesKeyEnc) ? ['aesKey'] : []),
        ...(mode !== current.callbackMode ? ['mode'] : []),
      ];
      if (changed.length === 0) return view(brand, current);
      const updated = await deps.db.transaction(async (tx) => {
        const [saved] = await tx
          .update(brands)
          .set({
            appId,
            ...(appSecret ? { appSecretEnc: box().seal(appSecret) } : {}),
            ...(token ? { callbackTokenEnc: box().seal(token) } : {}),
            ...(aesKey ? { aesKeyEnc: box().seal(aesKey) } : {}),
            callbackMode: mode as CallbackMode,
            updatedAt: now(),
          })
          .where(eq(brands.id, brand.id))
          .returning();
        if (changed.includes('appId') || changed.includes('appSecret')) {
          await tx.delete(wechatTokens).where(eq(wechatTokens.brandId, brand.id));
        }
        // Which fields changed, the AppId and the mode: never a secret's value.
        await deps.audit.record(
          {
            actor,
            action: 'credentials.changed',
            organizationId: brand.organizationId,
            brandId: brand.id,
            target: { type: 'brand', id: brand.id },
            details: { changed, appId, mode },
          },
          tx,
        );
        return saved!;
      });
      return view(brand, updated);
    },

    /**
     * Fetches an access token with the brand's stored credentials (one attempt, WeChat's
     * stable_token), keeping it in the token store for the worker. Changes nothing else and is
     * not audited. Admin or owner.
     */
    async testConnection(actor: Actor, slug: string): Promise<ConnectionTest> {
      const brand = await brandFor(actor, slug, 'credentials.manage');
      const current = await row(brand.id);
      if (!isConnected(current)) return { ok: false, reason: 'not_connected' };
      const apiBase = apiBaseOf(current);
      try {
        const answer = await fetchStableToken(
          { appId: current.appId, secret: open(current.appSecretEnc) },
          { baseUrl: apiBase, maxAttempts: 1, ...(deps.fetch ? { fetch: deps.fetch } : {}) },
        );
        const store = new PgWechatTokenStore(deps.db, {
          encrypt: (plain) => box().seal(plain),
          decrypt: (sealed) => box().open(sealed),
        });
        await store.withLock(brand.id, (locked) =>
          locked.write(
            brand.id,
            answer.access_token,
            new Date(now().getTime() + answer.expires_in * 1000),
          ),
        );
        return { ok: true, apiBase, expiresIn: answer.expires_in };
      } catch (error) {
        if (!(error instanceof WechatError)) throw error;
        if (error.kind === 'api' && error.errcode !== null) {
          return {
            ok: false,
            reason: 'wechat',
            apiBase,
            errcode: error.errcode,
            errmsg: error.errmsg,
          };
        }
        return { ok: false, reason: 'unreachable', apiBase, detail: error.errmsg || error.kind };
      }
    },
  };
}

export type BrandsService = ReturnType<typeof createBrands>;
