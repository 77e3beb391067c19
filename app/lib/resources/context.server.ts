/**
 * The web process's side of the resource pages: the brand a request works on — always the
 * one `requireMember` resolved from the URL's slug (app/lib/auth.server.ts), never one named
 * by a query string or a form — and the page's surroundings. The use cases are in services/
 * (services.tags, .coupons, .menus, .qr, .brandSettings), called with that brand's id.
 */
import { data } from '@remix-run/node';
import { eq } from 'drizzle-orm';
import { brands } from '../../../db/schema';
import type { BrandMember } from '../../../services/members/memberships';
import type { Role } from '../../../services/members/roles';
import type { SignedIn } from '~/lib/auth.server';
import { db } from '~/lib/db.server';
import { services } from '~/lib/services.server';
import type { ResourceBrand } from './brand.server';
import type { Problem } from '../../../services/resources/problems';

/** What a brand page shows around its content: the brand, the reader's role, their other brands. */
export interface BrandPage {
  brand: Omit<ResourceBrand, 'id'>;
  role: Role;
  /** Only the brands the signed-in user is a member of (the switcher's choices). */
  brands: { slug: string; name: string }[];
}

/**
 * The brand `requireMember` resolved, with its time zone (for dates) — by id, so nothing
 * here can reach another brand. Call it after `requireMember`, never instead.
 */
export async function memberBrand(member: BrandMember): Promise<ResourceBrand> {
  const [row] = await db
    .select({ id: brands.id, slug: brands.slug, name: brands.name, timezone: brands.timezone })
    .from(brands)
    .where(eq(brands.id, member.brand.id));
  // The membership was just read: the brand exists unless it was deleted in between.
  if (!row) throw data({ reason: 'brand-not-found', slug: member.brand.slug }, { status: 404 });
  return row;
}

/** The brand and the page's surroundings (the switcher lists only the user's own brands). */
export async function brandPage(
  signedIn: SignedIn & { member: BrandMember },
): Promise<{ brand: ResourceBrand; page: BrandPage }> {
  const [brand, mine] = await Promise.all([
    memberBrand(signedIn.member),
    services.members.memberships.brandsOf(signedIn.user.id),
  ]);
  const { id: _id, ...shown } = brand;
  return {
    brand,
    page: {
      brand: shown,
      role: signedIn.member.role,
      brands: mine.map(({ slug, name }) => ({ slug, name })),
    },
  };
}

/** A text field of a submitted form ('' when absent or a file). */
export function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

/**
 * An action's answer with its status: 404 when the row it named (a pool, tag or menu id) is
 * not one of the brand's — another brand's id answers exactly like an unknown one.
 */
export function answer<T extends { result: { ok: boolean; problems?: Problem[] } }>(payload: T) {
  const notFound =
    !payload.result.ok && (payload.result.problems ?? []).some((p) => p.code === 'not_found');
  return data(payload, { status: notFound ? 404 : 200 });
}
