/** Organizations (a company or an agency) own brands. */
import { eq, isNull, sql } from 'drizzle-orm';
import { brands, organizations } from '../../db/schema';
import type { Executor, ServiceDeps } from '../deps';
import { ServiceError } from '../errors';

export interface Organization {
  id: string;
  name: string;
  slug: string;
}

const columns = { id: organizations.id, name: organizations.name, slug: organizations.slug };

/** `Acme Coffee` → `acme-coffee`; names without Latin letters or digits become `org`. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug.length >= 2 ? slug : 'org';
}

export function parseOrganizationName(name: unknown): string {
  const value = typeof name === 'string' ? name.trim() : '';
  if (!value)
    throw new ServiceError(
      'organization_name_missing',
      'give the organization a name',
      'organization',
    );
  if (value.length > 100) {
    throw new ServiceError(
      'organization_name_too_long',
      'an organization name has at most 100 characters',
      'organization',
    );
  }
  return value;
}

/** Gives every brand without an organization to `organizationId`; returns their slugs. */
async function adoptUnownedBrands(organizationId: string, db: Executor): Promise<string[]> {
  const rows = await db
    .update(brands)
    .set({ organizationId })
    .where(isNull(brands.organizationId))
    .returning({ slug: brands.slug });
  return rows.map((r) => r.slug).sort();
}

export function createOrganizations(deps: ServiceDeps) {
  return {
    /**
     * A new organization; its slug is made from the name, numbered when taken. The first
     * organization of an installation adopts the brands made before accounts existed (they
     * have none and are visible to nobody until then); `adoptedBrands` lists their slugs.
     */
    async create(
      name: unknown,
      db: Executor = deps.db,
    ): Promise<Organization & { adoptedBrands: string[] }> {
      const clean = parseOrganizationName(name);
      const base = slugify(clean);
      const taken = await db
        .select({ slug: organizations.slug })
        .from(organizations)
        .where(sql`${organizations.slug} = ${base} or ${organizations.slug} like ${`${base}-%`}`);
      const used = new Set(taken.map((r) => r.slug));
      let slug = base;
      for (let n = 2; used.has(slug); n++) slug = `${base}-${n}`;
      const [row] = await db.insert(organizations).values({ name: clean, slug }).returning(columns);
      const [{ n } = { n: 0 }] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(organizations);
      const adoptedBrands = n === 1 ? await adoptUnownedBrands(row!.id, db) : [];
      return { ...row!, adoptedBrands };
    },

    /** By slug, else by name (case-insensitive); null when none, an error when a name is ambiguous. */
    async find(nameOrSlug: string, db: Executor = deps.db): Promise<Organization | null> {
      const wanted = nameOrSlug.trim();
      const [bySlug] = await db
        .select(columns)
        .from(organizations)
        .where(eq(organizations.slug, wanted));
      if (bySlug) return bySlug;
      const byName = await db
        .select(columns)
        .from(organizations)
        .where(sql`lower(${organizations.name}) = lower(${wanted})`);
      if (byName.length > 1) {
        throw new ServiceError(
          'organization_ambiguous',
          `${byName.length} organizations are named "${wanted}"; use a slug: ${byName.map((o) => o.slug).join(', ')}`,
        );
      }
      return byName[0] ?? null;
    },

    async list(db: Executor = deps.db): Promise<Organization[]> {
      return db.select(columns).from(organizations).orderBy(organizations.createdAt);
    },

    /** Brands that belong to no organization yet (the first organization will adopt them). */
    async unownedBrands(db: Executor = deps.db): Promise<{ slug: string; name: string }[]> {
      return db
        .select({ slug: brands.slug, name: brands.name })
        .from(brands)
        .where(isNull(brands.organizationId))
        .orderBy(brands.name);
    },

    /** The organization of the brand `slug` (null: no such brand, or none adopted it yet). */
    async ofBrandSlug(slug: string, db: Executor = deps.db): Promise<Organization | null> {
      const [row] = await db
        .select(columns)
        .from(brands)
        .innerJoin(organizations, eq(organizations.id, brands.organizationId))
        .where(eq(brands.slug, slug));
      return row ?? null;
    },
  };
}

export type OrganizationsService = ReturnType<typeof createOrganizations>;
