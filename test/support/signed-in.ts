/**
 * A signed-in member of a test brand, as the web app sees one: a user with `role` on the
 * brand (its organization created when it has none) and a live session row; `cookie` is the
 * Cookie header a browser would send back. Requests that carry it pass requireMember, so a
 * test can reach what lies behind it (body checks, the use case) instead of the 401.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { createRequestAuth } from '../../app/lib/request-auth.server';
import type { Db } from '../../db/client';
import { brands } from '../../db/schema';
import { createServices } from '../../services';
import type { Role } from '../../services/members/roles';

export interface SignedInMember {
  userId: string;
  email: string;
  /** `fanfare_session=…`: the Cookie header value. */
  cookie: string;
}

export async function signedInMember(
  db: Db,
  brandSlug: string,
  role: Role = 'owner',
): Promise<SignedInMember> {
  const services = createServices({ db });
  const [brand] = await db
    .select({ id: brands.id, organizationId: brands.organizationId })
    .from(brands)
    .where(eq(brands.slug, brandSlug));
  if (!brand) throw new Error(`signedInMember: no brand ${brandSlug}`);
  let organizationId = brand.organizationId;
  if (!organizationId) {
    organizationId = (await services.members.organizations.create(`Org of ${brandSlug}`)).id;
    await db.update(brands).set({ organizationId }).where(eq(brands.id, brand.id));
  }
  const email = `${role}-${randomUUID().slice(0, 8)}@example.test`;
  const user = await services.users.create({ email, password: 'a test password' });
  await services.members.memberships.grant({
    userId: user.id,
    organizationId,
    brandId: brand.id,
    role,
  });
  const session = await services.sessions.create(user.id);
  const auth = createRequestAuth({ services, production: false, trustedProxyHops: 0 });
  const cookie = (await auth.sessionCookieHeader(session)).split(';')[0]!;
  return { userId: user.id, email, cookie };
}
