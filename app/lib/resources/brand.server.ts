/**
 * Which brand a resource page works on: `?brand=<slug>`, else the first brand by name.
 * Every resource query is then scoped by the returned id — never by an id from a form.
 */
import { asc } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { brands } from '../../../db/schema';

export interface ResourceBrand {
  id: string;
  slug: string;
  name: string;
  timezone: string;
}

export type BrandChoice =
  | { kind: 'no-brand' }
  | { kind: 'unknown-brand'; slug: string }
  | { kind: 'brand'; brand: ResourceBrand; brands: Omit<ResourceBrand, 'id'>[] };

export async function chooseBrand(db: Db, slug: string | null): Promise<BrandChoice> {
  const all = await db
    .select({ id: brands.id, slug: brands.slug, name: brands.name, timezone: brands.timezone })
    .from(brands)
    .orderBy(asc(brands.name), asc(brands.slug));
  const brand = slug ? all.find((b) => b.slug === slug) : all[0];
  if (!brand) return slug ? { kind: 'unknown-brand', slug } : { kind: 'no-brand' };
  return { kind: 'brand', brand, brands: all.map(({ id: _id, ...rest }) => rest) };
}
