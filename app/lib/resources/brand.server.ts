/**
 * A brand as the resource pages use it. Which brand a request works on is decided by
 * requireMember from the URL's slug (app/lib/auth.server.ts, ./context.server.ts); every
 * resource query is then scoped by the returned id — never by an id from a form.
 */
export interface ResourceBrand {
  id: string;
  slug: string;
  name: string;
  timezone: string;
}
