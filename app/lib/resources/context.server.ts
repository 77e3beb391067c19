/**
 * The web process's side of the resource pages: the database, a WeChat client per brand
 * (WECHAT_API_BASE — the sandbox under `npm run dev` — unless the brand has its own), and
 * the brand a request works on. Logic stays in the `*.server.ts` modules, which take these
 * as arguments so tests can pass their own.
 */
import { data } from '@remix-run/node';
import {
  createWechatClients,
  type WechatClients,
} from '../../../workflows/activities/wechat-clients';
import { env } from '~/env.server';
import { db } from '~/lib/db.server';
import { logger } from '~/lib/logger.server';
import { secretBox } from '~/lib/secrets.server';
import type { ErrorReason } from '~/lib/route-errors';
import { chooseBrand, type ResourceBrand } from './brand.server';
import type { ResourceDeps } from './wechat.server';

// Like the db handle: one set of clients (and cached tokens) across Vite's module reloads.
const cache = globalThis as typeof globalThis & { __fanfareWebWechat?: WechatClients };
cache.__fanfareWebWechat ??= createWechatClients({
  db,
  box: secretBox,
  apiBase: env.WECHAT_API_BASE,
});

export const resourceDeps: ResourceDeps = {
  db,
  wechat: cache.__fanfareWebWechat,
  apiBase: env.WECHAT_API_BASE,
  onWechatError: (err, context) =>
    logger.warn({ err, ...context }, 'WeChat refused a resource call'),
};

export type BrandPage =
  | { kind: 'no-brand' }
  | { kind: 'brand'; brand: Omit<ResourceBrand, 'id'>; brands: Omit<ResourceBrand, 'id'>[] };

/**
 * The brand of `?brand=<slug>` (else the first one). An unknown slug is a 404; no brand at
 * all returns `null` so the page can explain how to add one.
 */
export async function brandOf(
  request: Request,
): Promise<{ brand: ResourceBrand | null; page: BrandPage }> {
  const slug = new URL(request.url).searchParams.get('brand') || null;
  const choice = await chooseBrand(db, slug);
  if (choice.kind === 'unknown-brand') {
    throw data({ reason: 'brand-not-found', slug: choice.slug } satisfies ErrorReason, {
      status: 404,
    });
  }
  if (choice.kind === 'no-brand') return { brand: null, page: { kind: 'no-brand' } };
  const { id: _id, ...brand } = choice.brand;
  return { brand: choice.brand, page: { kind: 'brand', brand, brands: choice.brands } };
}

/** Actions need a brand: without one there is nothing to change (a plain 404). */
export async function requireBrand(request: Request): Promise<ResourceBrand> {
  const { brand } = await brandOf(request);
  if (!brand) throw data(null, { status: 404 });
  return brand;
}

/** A text field of a submitted form ('' when absent or a file). */
export function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}
