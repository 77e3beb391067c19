/**
 * The address people and WeChat reach this web app at: PUBLIC_URL when set, else the address
 * the request came to (a proxy's X-Forwarded-Proto/-Host first). Only ever shown to the
 * signed-in admin who asked (the callback URL to paste into the WeChat console).
 */
import { callbackUrl } from '../../../services/brands';
import { env } from '~/env.server';

export function publicBaseUrl(request: Request): string {
  if (env.PUBLIC_URL) return env.PUBLIC_URL.replace(/\/+$/, '');
  const url = new URL(request.url);
  const first = (name: string) => request.headers.get(name)?.split(',')[0]?.trim() || null;
  const host = first('X-Forwarded-Host') ?? first('Host') ?? url.host;
  const proto = first('X-Forwarded-Proto') ?? url.protocol.replace(/:$/, '');
  return `${proto === 'https' ? 'https' : 'http'}://${host}`;
}

/** The brand's WeChat callback URL, `<public base URL>/wechat/<slug>`. */
export function brandCallbackUrl(request: Request, slug: string): string {
  return callbackUrl(publicBaseUrl(request), slug);
}
