/**
 * Shared by the hostile-input tests: a brand with an API key, a coupon pool and a flow; the
 * real web app's answers; and a fingerprint of everything the brand has stored, so a test
 * can assert that a refused request stored nothing — not even half of something.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { createApiKey } from '../../services/api-keys/store';
import type { DbHandle } from '../../db/client';
import { couponPools, flows } from '../../db/schema';
import { SecretBox } from '../../services/secrets';
import { insertBrand, type TestBrand } from './brands';

export interface HostileBrand extends TestBrand {
  key: string;
  flowId: string;
}

/** A minimal valid draft of `name` (a follow greeted with a coupon from `pool`). */
export function couponFlow(name = 'Welcome', pool = 'welcome'): Record<string, unknown> {
  return {
    format: 'fanfare.flow/v1',
    name,
    nodes: [
      { id: 't', kind: 'trigger.follow', label: 'New fan', config: {} },
      { id: 'c', kind: 'action.coupon', label: 'Give coupon', config: { pool } },
      { id: 'end', kind: 'flow.end', label: 'Done' },
    ],
    edges: [
      { id: 'e1', from: 't', to: 'c' },
      { id: 'e2', from: 'c', to: 'end' },
    ],
  };
}

export async function hostileBrand(
  handle: DbHandle,
  box: SecretBox = new SecretBox(randomBytes(32).toString('hex')),
): Promise<HostileBrand> {
  const brand = await insertBrand(handle.db, box, { prefix: 'hostile' });
  const { key } = await createApiKey(handle.db, brand.id, 'hostile');
  await handle.db.insert(couponPools).values({ brandId: brand.id, name: 'welcome' });
  const [flow] = await handle.db
    .insert(flows)
    .values({ brandId: brand.id, name: 'Welcome', draft: couponFlow() })
    .returning({ id: flows.id });
  return { ...brand, key, flowId: flow!.id };
}

/** Everything the brand has stored, as one comparable value. */
export async function fingerprint(handle: DbHandle, brandId: string): Promise<unknown> {
  const rows = await handle.db.execute<Record<string, unknown>>(sql`
    select
      (select count(*) from events where brand_id = ${brandId})::int as events,
      (select md5(coalesce(string_agg(row(f.*)::text, '|' order by f.id), ''))
         from followers f where f.brand_id = ${brandId}) as followers,
      (select md5(coalesce(string_agg(row(f.*)::text, '|' order by f.id), ''))
         from flows f where f.brand_id = ${brandId}) as flows,
      (select count(*) from flow_versions v join flows f on f.id = v.flow_id
         where f.brand_id = ${brandId})::int as versions,
      (select count(*) from tags where brand_id = ${brandId})::int as tags,
      (select count(*) from coupon_pools where brand_id = ${brandId})::int as pools,
      (select count(*) from menus where brand_id = ${brandId})::int as menus,
      (select count(*) from qr_channels where brand_id = ${brandId})::int as qr,
      (select md5(row(b.*)::text) from brands b where b.id = ${brandId}) as brand`);
  return rows[0];
}

/** The marketer-facing sentence of an error page (components/error-view), if any. */
export function errorSentence(html: string): string | null {
  const m = /<p class="error-view__body">([^<]*)<\/p>/.exec(html);
  return m
    ? m[1]!
        .replace(/&quot;/g, '"')
        .replace(/&#x27;/g, "'")
        .replace(/&amp;/g, '&')
    : null;
}
